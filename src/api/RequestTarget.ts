/**
 * The parts of a request a list answer depends on besides its decoded parameters: the path and raw query (for the
 * pagination links) and the Accept header (for the response format).
 */
import type { HttpServerRequest } from "@effect/platform"
import type { RequestTarget } from "./RecommendationService.js"

export const requestTarget = (request: HttpServerRequest.HttpServerRequest): RequestTarget => {
  const url = new URL(request.url, "http://ros-ocp")
  return { path: url.pathname, query: [...url.searchParams.entries()], accept: request.headers.accept }
}
