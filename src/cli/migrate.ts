/**
 * `ros-ocp migrate [database]`: applies pending migrations without starting any role.
 */
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as Database from "../services/Database.js"

const names = ["ros", "kruize", "sources"] as const satisfies ReadonlyArray<Database.DatabaseName>

const database = Args.choice(
  names.map((n) => [n, n] as const),
  { name: "database" }
).pipe(Args.withDescription("Only this database (default: all three)."), Args.optional)

const migrateOne = (name: Database.DatabaseName) =>
  Database.migrate(name).pipe(
    Effect.tap((applied) =>
      Console.log(
        applied.length === 0
          ? `${name}: up to date`
          : `${name}: applied ${applied.map(([id, n]) => `${id}_${n}`).join(", ")}`
      )
    ),
    Effect.provide(Database.client(name))
  )

export const migrateCommand = Command.make("migrate", { database }, ({ database }) =>
  Effect.forEach(database._tag === "Some" ? [database.value] : names, migrateOne, { discard: true })
).pipe(Command.withDescription("Apply pending database migrations (ros, kruize, sources)."))
