/**
 * The `sources` role: the Sources API subset (sources-api-go) on SOURCES_PORT (8002), its `sources`
 * database, and the publisher of platform.sources.event-stream.
 *
 * The publisher gets its own Kafka producer and is started in the background, retried until Kafka answers:
 * the API keeps serving (and its events keep accumulating in the outbox) while Kafka is down or not up yet.
 */
import { Effect, Layer } from "effect"
import { SourcesDatabase } from "../services/Database.js"
import { serveRouter } from "../services/HttpServe.js"
import { Kafka } from "../services/Kafka.js"
import { EventPublisherLive, publishRetry } from "../sources/EventPublisher.js"
import { OutboxRepo } from "../sources/OutboxRepo.js"
import { OutboxSignal } from "../sources/OutboxSignal.js"
import { SourcesRepo } from "../sources/SourcesRepo.js"
import { SourcesRoutes } from "../sources/SourcesRoutes.js"
import { SourcesService } from "../sources/SourcesService.js"

const SourcesHttpLive = Layer.unwrapEffect(
  Effect.map(SourcesRoutes, (router) => serveRouter("sources", (listen) => listen.sourcesPort, router))
)

const PublisherInBackground = Layer.scopedDiscard(
  Layer.launch(EventPublisherLive.pipe(Layer.provide(Kafka.layer))).pipe(
    Effect.tapError((error) =>
      Effect.logWarning("sources event publisher cannot start; events wait in the outbox", String(error))
    ),
    Effect.retry(publishRetry),
    Effect.forkScoped
  )
)

export const SourcesLive = Layer.mergeAll(SourcesHttpLive, PublisherInBackground).pipe(
  Layer.provide(SourcesService.Default),
  Layer.provide(Layer.mergeAll(SourcesRepo.Default, OutboxRepo.Default, OutboxSignal.Default)),
  Layer.provide(SourcesDatabase)
)
