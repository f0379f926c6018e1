/**
 * Query strings as `@effect/platform`'s `UrlParams`: ordered `[key, value]` pairs, keys may repeat. Kruize reads
 * them through the servlet's `getParameter`, i.e. the first value of a key.
 */
export type QueryParams = ReadonlyArray<readonly [string, string]>

/** The first value of `key`, like `HttpServletRequest.getParameter`. */
export const queryParam = (params: QueryParams, key: string): string | undefined => params.find(([k]) => k === key)?.[1]
