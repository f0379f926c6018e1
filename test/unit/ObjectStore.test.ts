import { describe, expect, it } from "@effect/vitest"
import { Chunk, ConfigProvider, Effect, Layer, Stream, TestClock } from "effect"
import { MEMORY_URL_SCHEME, ObjectStore } from "../../src/services/ObjectStore.js"
import { bytes, collect, objectStoreContract, withConfig } from "../support/objectStoreContract.js"

describe("ObjectStore.layerMemory", () => {
  objectStoreContract("contract", ObjectStore.layerMemory, () => Effect.void)

  // A fresh store per test, on default settings whatever the environment says.
  const fresh = <A, E>(effect: Effect.Effect<A, E, ObjectStore>) =>
    Effect.provide(
      effect,
      ObjectStore.layerMemory.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))))
    )

  it.effect("starts with the four configured buckets", () =>
    fresh(
      Effect.gen(function* () {
        const store = yield* ObjectStore
        for (const bucket of ["insights-upload-perma", "insights-upload-perm", "koku-bucket", "ros-data"]) {
          expect((yield* store.list(bucket)).objects).toEqual([])
        }
        expect((yield* Effect.flip(store.list("elsewhere")))._tag).toBe("BucketNotFound")
      })
    )
  )

  it.effect("reads bucket names and the presign expiry from config", () =>
    Effect.gen(function* () {
      const store = yield* ObjectStore
      expect((yield* store.list("my-ros")).objects).toEqual([])
      expect(yield* store.presignGet("my-ros", "a/b c.csv")).toBe(
        `${MEMORY_URL_SCHEME}//objectstore/my-ros/a/b%20c.csv?X-Amz-Expires=60`
      )
      expect(yield* store.presignGet("my-ros", "k", 7 * 24 * 3600)).toContain("X-Amz-Expires=604800")
    }).pipe(
      Effect.provide(ObjectStore.layerMemory),
      Effect.provide(withConfig({ REQUESTED_ROS_BUCKET: "my-ros", ROS_URL_EXPIRATION: "60" }))
    )
  )

  it.effect("stamps lastModified from the Clock, to the second", () =>
    fresh(
      Effect.gen(function* () {
        const store = yield* ObjectStore
        yield* TestClock.adjust("90500 millis")
        yield* store.put("ros-data", "k", bytes("v"))
        expect((yield* store.head("ros-data", "k")).lastModified).toEqual(new Date(90_000))
        yield* TestClock.adjust("1 hour")
        yield* store.copy({ bucket: "ros-data", key: "k" }, { bucket: "ros-data", key: "k2" })
        const [first, second] = (yield* store.list("ros-data")).objects
        expect(first?.lastModified).toEqual(new Date(90_000))
        expect(second?.lastModified).toEqual(new Date(3_690_000))
      })
    )
  )

  it.effect("serves bodies in 64 KiB pieces", () =>
    fresh(
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const body = new Uint8Array(200 * 1024).map((_, i) => i % 256)
        yield* store.put("ros-data", "big", body)
        const { info, body: stream } = yield* store.get("ros-data", "big")
        expect(info.size).toBe(body.length)
        const pieces = Chunk.toReadonlyArray(yield* Stream.runCollect(stream))
        expect(pieces.map((p) => p.length)).toEqual([65536, 65536, 65536, 8192])
        expect(Buffer.concat(pieces).equals(Buffer.from(body))).toBe(true)
        // Running the body again reads the same snapshot.
        expect((yield* collect(stream)).data.equals(Buffer.from(body))).toBe(true)
      })
    )
  )

  it.effect("keeps its own copy of stored bytes", () =>
    fresh(
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const input = bytes("abc")
        yield* store.put("ros-data", "k", input)
        input.fill(0)
        const out = yield* store.getBytes("ros-data", "k")
        out.fill(0)
        expect(Buffer.from(yield* store.getBytes("ros-data", "k")).toString()).toBe("abc")
      })
    )
  )

  it.effect("clamps maxKeys to 1..1000 and rejects tokens it did not issue", () =>
    fresh(
      Effect.gen(function* () {
        const store = yield* ObjectStore
        for (let i = 0; i < 1002; i++) yield* store.put("ros-data", `k/${String(i).padStart(4, "0")}`, bytes(""))
        const page = yield* store.list("ros-data", { maxKeys: 5000 })
        expect(page.objects.length).toBe(1000)
        expect(page.objects[999]?.key).toBe("k/0999")
        const rest = yield* store.list("ros-data", {
          maxKeys: 0,
          ...(page.nextContinuationToken === undefined ? {} : { continuationToken: page.nextContinuationToken })
        })
        expect(rest.objects.map((o) => o.key)).toEqual(["k/1000"])
        expect(rest.nextContinuationToken).toBeDefined()
        expect(yield* Effect.flip(store.list("ros-data", { continuationToken: "garbage" }))).toMatchObject({
          _tag: "ObjectStoreFailure",
          operation: "ListObjectsV2",
          status: 400
        })
      })
    )
  )

  it.effect("keeps the caller's stream error type", () =>
    fresh(
      Effect.gen(function* () {
        const store = yield* ObjectStore
        class Upstream {
          readonly _tag = "Upstream"
        }
        const result = yield* store
          .put("ros-data", "k", Stream.fail(new Upstream()))
          .pipe(Effect.catchTag("Upstream", () => Effect.succeed("handled")))
        expect(result).toBe("handled")
      })
    )
  )
})
