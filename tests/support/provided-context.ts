/** What the integration global setup hands every test file through `inject()`. */
declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    redisUrl: string;
    /** The runtime login (docs/decisions/0021-database-roles.md) the API under test connects as. */
    pgRuntimeRole: { name: string; password: string };
  }
}

export {};
