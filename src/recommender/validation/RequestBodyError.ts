/**
 * The 400 for a body that is not valid JSON or has a field of the wrong type, on endpoints where Kruize answers with
 * a parser dump (kruize.md §2.2 step 1): Kruize's parsing sentence followed by where and what went wrong.
 */
import { badRequest, type KruizeRequestError } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import type { BodyProblem } from "./JsonBody.js"

export const requestBodyError = (problem: BodyProblem): KruizeRequestError =>
  badRequest(`${KruizeMessages.jsonParsingError.trimEnd()}: ${problem.detail}`)
