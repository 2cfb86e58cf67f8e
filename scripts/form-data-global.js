// Stands in for the `form-data` package in the Lambda bundle. axios needs it only for multipart bodies, which the
// runtime never sends, and Node's own FormData serves axios where it would; without this, the bundle carries
// form-data and mime-db, a third of its size and of its load time.
module.exports = globalThis.FormData;
