// Jest's environment for every suite: Node's, plus the reaping of child processes a suite started and never stopped
// (see lib/testing/live-children.ts). Teardown runs after the suite's own afterAll hooks, so a suite that stops its
// children itself is never raced; one that failed first leaves nothing running.
const { TestEnvironment } = require('jest-environment-node');

class ReapingEnvironment extends TestEnvironment {
  async teardown() {
    const live = this.global.__symtailLiveChildren;
    if (live) {
      for (const child of live) child.kill('SIGKILL');
      live.clear();
    }
    await super.teardown();
  }
}

module.exports = ReapingEnvironment;
