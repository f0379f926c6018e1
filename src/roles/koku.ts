/**
 * The `koku` role: the koku stage (announce consumer → ROS CSVs to S3 → hccm.ros.events), with the Kafka, S3,
 * HTTP (Sources API) and `ros` database (upload status) layers it runs on.
 */
import { Layer } from "effect"
import { KokuListener } from "../koku/KokuListener.js"
import { KokuStage } from "../koku/KokuStage.js"
import { RosDatabase } from "../services/Database.js"
import { HttpClientLive } from "../services/Http.js"
import { Kafka } from "../services/Kafka.js"
import { ObjectStore } from "../services/ObjectStore.js"
import { UploadStatusRepo } from "../uploads/UploadStatusRepo.js"

export const KokuLive = KokuListener.pipe(
  Layer.provide(KokuStage.Default),
  Layer.provide(UploadStatusRepo.Default),
  Layer.provide(Layer.mergeAll(Kafka.layer, ObjectStore.layer, RosDatabase, HttpClientLive))
)
