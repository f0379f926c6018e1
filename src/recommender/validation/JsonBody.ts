/**
 * Request bodies: raw text → JSON → schema, never throwing. The first problem found is described with a Gson-style
 * path (`$[0].kubernetes_objects[0].type`) so each endpoint can word its 400 the way Kruize does (kruize.md §2.2 step 1,
 * §2.6 step 1) or, where Kruize has no wording, clearly.
 */
import { Either, Option, ParseResult, type Schema, SchemaAST } from "effect"

export interface BodyProblem {
  /** Exact Kruize message of a bad number (`For input string: "x"`, …), which `/updateResults` echoes verbatim. */
  readonly numberMessage?: string
  /** What is wrong and where, for endpoints whose upstream message is a parser dump. */
  readonly detail: string
}

const describe = (ast: SchemaAST.AST): string => {
  switch (ast._tag) {
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return "an array"
    case "StringKeyword":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "a boolean"
    case "Literal":
      return JSON.stringify(ast.literal)
    case "Refinement":
      return describe(ast.from)
    case "Transformation":
      return describe(ast.from)
    case "Union":
      return ast.types.map(describe).join(" or ")
    default:
      return String(ast)
  }
}

const renderPath = (path: ReadonlyArray<PropertyKey>) =>
  `$${path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")}`

const isKruizeNumber = (ast: SchemaAST.AST) =>
  Option.exists(SchemaAST.getIdentifierAnnotation(ast), (identifier) => identifier === "KruizeNumber")

// With `errors: "first"` the tree has a single failing branch; in unions (`X | null | undefined`) the first member is
// the one that describes what the field should have been.
const firstProblem = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): BodyProblem => {
  switch (issue._tag) {
    case "Pointer":
      return firstProblem(issue.issue, [...path, ...[issue.path].flat()])
    case "Refinement":
    case "Transformation":
      return firstProblem(issue.issue, path)
    case "Composite": {
      const [first] = [issue.issues].flat()
      return first === undefined ? { detail: `${renderPath(path)}: invalid value` } : firstProblem(first, path)
    }
    case "Missing":
      return { detail: `${renderPath(path)}: is missing` }
    case "Unexpected":
    case "Forbidden":
      return { detail: `${renderPath(path)}: ${issue.message ?? "unexpected value"}` }
    case "Type": {
      if (issue.message !== undefined && isKruizeNumber(issue.ast)) {
        return { numberMessage: issue.message, detail: `${renderPath(path)}: ${issue.message}` }
      }
      return {
        detail: `${renderPath(path)}: ${issue.message ?? `expected ${describe(issue.ast)}`}`
      }
    }
  }
}

// Gson leaves a field that is null in the JSON unset, so a null member is the same as an absent one; dropping them
// here lets the body schemas use plain optional fields. Nulls inside arrays stay (they are elements).
function dropNullMembers(this: unknown, _key: string, value: unknown): unknown {
  return value === null && !Array.isArray(this) ? undefined : value
}

/**
 * Parse `text` as JSON and decode it with `schema`; null members count as absent and unknown keys are ignored, as
 * with Gson. The body schemas of `schema/kruize` expect exactly this preprocessing.
 */
export const decodeJsonBody = <A, I>(
  schema: Schema.Schema<A, I, never>,
  text: string
): Either.Either<A, BodyProblem> => {
  const json = Either.try({
    try: () => JSON.parse(text, dropNullMembers) as unknown,
    catch: (e) => ({ detail: `$: not valid JSON (${e instanceof Error ? e.message : String(e)})` })
  })
  return Either.flatMap(json, (value) =>
    Either.mapLeft(
      ParseResult.decodeUnknownEither(schema)(value, { errors: "first", onExcessProperty: "ignore" }),
      (issue) => firstProblem(issue, [])
    )
  )
}
