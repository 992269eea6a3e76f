/** @lmm/testkit — shared fast-check arbitraries and helpers for testing the lmm core. */
export {};
