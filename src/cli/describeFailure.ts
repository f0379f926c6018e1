/**
 * One readable line for a failure that ends the CLI, instead of a stack trace: the user needs to know
 * which server or setting is wrong, not where in Effect's runtime the error travelled.
 */
import { ValidationError } from "@effect/cli"
import { Cause, ConfigError, Option } from "effect"

const causeMessage = (error: unknown): string => {
  const cause = (error as { cause?: unknown })?.cause
  return cause instanceof Error ? `: ${cause.message}` : ""
}

export const describeFailure = (cause: Cause.Cause<unknown>): string =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => Cause.pretty(cause),
    onSome: (error) => {
      // @effect/cli has already printed what was wrong with the arguments.
      if (ValidationError.isValidationError(error)) return ""
      if (ConfigError.isConfigError(error)) return `configuration error: ${String(error)}`
      const tagged = error as { _tag?: string; message?: string }
      switch (tagged._tag) {
        case "SqlError":
          return `PostgreSQL: ${tagged.message}${causeMessage(error)}`
        case "MigrationError":
          return `migration failed: ${tagged.message}${causeMessage(error)}`
        case "KafkaUnavailable":
        case "KafkaFailure":
          return `Kafka: ${tagged.message}`
        default:
          return error instanceof Error ? error.message : String(error)
      }
    }
  })
