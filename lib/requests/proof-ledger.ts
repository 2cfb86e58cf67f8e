/**
 * Where used identity proofs are remembered, so each is accepted once. Only a hash of the proof's
 * signature is kept, never the proof: it is a bearer credential until its `x-amz-date` is too old to be accepted.
 */
export interface ProofLedger {
  /**
   * Records that the proof whose signature hashes to `signatureSha256` was used, to be forgotten after `forgetAfter`.
   * True the first time; false, writing nothing, when it was already used.
   */
  useOnce(signatureSha256: string, forgetAfter: Date): Promise<boolean>;
}
