/**
 * The `ingress` role: the upload endpoint on INGRESS_WEBPORT (3000), staging uploads in INGRESS_STAGEBUCKET and
 * announcing them on platform.upload.announce, with their status in the `ros` database.
 *
 * The Kafka producer connects in the background (UploadAnnouncer.layer): the role serves, and reports its uploads,
 * while Kafka is down or not up yet; uploads that cannot be announced then get 503.
 */
import { Effect, Layer } from "effect"
import { IngressRoutes } from "../ingress/IngressRoutes.js"
import { IngressUploads } from "../ingress/IngressUploads.js"
import { UploadAnnouncer } from "../ingress/UploadAnnouncer.js"
import { UploadIdRepo } from "../ingress/UploadIdRepo.js"
import { RosDatabase } from "../services/Database.js"
import { serveRouter } from "../services/HttpServe.js"
import { ObjectStore } from "../services/ObjectStore.js"
import { UploadStatusRepo } from "../uploads/UploadStatusRepo.js"

const IngressHttpLive = Layer.unwrapEffect(
  Effect.map(IngressRoutes, (router) => serveRouter("ingress", (listen) => listen.ingressPort, router))
)

export const IngressLive = IngressHttpLive.pipe(
  Layer.provide(IngressUploads.Default),
  Layer.provide(
    Layer.mergeAll(UploadStatusRepo.Default, UploadIdRepo.Default, ObjectStore.layer, UploadAnnouncer.layer)
  ),
  Layer.provide(RosDatabase)
)
