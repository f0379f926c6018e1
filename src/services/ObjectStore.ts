/**
 * Object storage on an S3-compatible server, addressed path-style (versitygw locally; Ceph RGW, NooBaa or
 * S3 in production). Two layers sit behind one tag: `ObjectStore.layer` talks to the server through
 * @aws-sdk/client-s3, and `ObjectStore.layerMemory` keeps objects in memory for unit tests of code that
 * depends on the tag. Both report the same typed errors and list keys in the same order.
 */
import { Context, Layer } from "effect"
import { makeLive } from "./objectStore/ObjectStoreLive.js"
import { makeMemoryFromSettings } from "./objectStore/ObjectStoreMemory.js"
import type { ObjectStoreService } from "./objectStore/ObjectStoreService.js"

export class ObjectStore extends Context.Tag("ros/ObjectStore")<ObjectStore, ObjectStoreService>() {
  /** The S3 server at `S3_ENDPOINT`; the client is destroyed when the layer's scope closes. */
  static readonly layer = Layer.scoped(ObjectStore, makeLive)
  /**
   * Objects in memory, starting with the four configured buckets (as `infra/up` creates them). Deterministic:
   * times come from `Clock`. Presigned URLs use the `memory:` scheme and cannot be fetched.
   */
  static readonly layerMemory = Layer.effect(ObjectStore, makeMemoryFromSettings)
}

export {
  type BucketError,
  BucketNotFound,
  type GetResult,
  type ListOptions,
  type ListPage,
  MEMORY_URL_SCHEME,
  type ObjectInfo,
  type ObjectLocation,
  ObjectNotFound,
  type ObjectStoreError,
  ObjectStoreFailure,
  type ObjectStoreService,
  ObjectStoreUnavailable,
  type ObjectSummary,
  type PutOptions,
  type PutResult,
  type TransportError
} from "./objectStore/ObjectStoreService.js"
