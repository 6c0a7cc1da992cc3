/** Types for tests/architecture/unit-suites.test.ts, which checks suite names against these patterns. */
export declare const NEEDS_SSHD_OR_BUILD: string[];
declare const config: Record<string, unknown>;
export default config;
