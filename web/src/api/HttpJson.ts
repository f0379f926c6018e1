/**
 * GET a JSON document as the chosen org, abortable. A non-2xx answer becomes an ApiFailure with plain words.
 */
import { failureOf } from "./ApiFailure"
import { identityHeader } from "./Identity"

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const getJson = async (url: string, orgId: string, signal: AbortSignal): Promise<unknown> => {
  const response = await fetch(url, {
    headers: { accept: "application/json", "x-rh-identity": identityHeader(orgId) },
    signal
  })
  const body = parse(await response.text())
  if (!response.ok) throw failureOf(response.status, body)
  return body
}
