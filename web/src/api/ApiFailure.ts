/**
 * A failed API call, with the words the page shows for it.
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = "ApiFailure"
  }
}

/** What the server said, as far as it said something readable. */
const serverWords = (body: unknown): string | undefined => {
  if (typeof body === "object" && body !== null) {
    for (const key of ["message", "error", "detail"] as const) {
      const value = (body as Record<string, unknown>)[key]
      if (typeof value === "string" && value.trim() !== "") return value
    }
    const errors = (body as Record<string, unknown>).errors
    if (Array.isArray(errors)) {
      const first: unknown = errors[0]
      if (typeof first === "object" && first !== null) {
        const detail = (first as Record<string, unknown>).detail
        if (typeof detail === "string") return detail
      }
    }
  }
  if (typeof body === "string" && body.trim() !== "" && body.length < 300) return body.trim()
  return undefined
}

const statusWords = (status: number): string => {
  if (status === 401) return "The server did not accept the identity of this page."
  if (status === 403) return "This organization may not see these data."
  if (status === 404) return "Not found: it may have been removed, or it belongs to another organization."
  if (status === 400 || status === 422) return "The server refused the request: a filter or setting is not valid."
  if (status === 502 || status === 504) return "The server could not reach the service that holds these data."
  if (status >= 500) return "The server could not answer right now. Try again in a moment."
  return `The server answered with status ${status}.`
}

/** A failure from a status and a parsed body. */
export const failureOf = (status: number, body: unknown): ApiFailure => {
  const words = serverWords(body)
  return new ApiFailure(status, words === undefined ? statusWords(status) : `${statusWords(status)} (${words})`)
}

/** The message to show for anything a fetch may throw. */
export const describeFailure = (error: unknown): string => {
  if (error instanceof ApiFailure) return error.message
  if (error instanceof TypeError) return "The server cannot be reached. Is ros-ocp running?"
  return "Something went wrong while loading the data."
}
