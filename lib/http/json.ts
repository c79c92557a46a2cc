/**
 * What a domain value becomes in an API answer (`Response.json` on the server, `JSON.parse` in the browser): dates
 * are ISO strings. The UI types an answer as `Jsonified<T>` of the type the route's domain function returns, so the
 * two cannot drift apart.
 */
export type Jsonified<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;
