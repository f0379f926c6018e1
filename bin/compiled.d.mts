/** Types of compiled.mjs, for the TypeScript that imports it (the CompiledServer test, the ingest bench). */
export declare const compiledIsCurrent: (root: string, env: Readonly<Record<string, string | undefined>>) => boolean
