import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Ref } from "effect"
import { type AnnounceMessage, GO_ZERO_TIME } from "../../../schema/ingress/AnnounceMessage.js"
import { announceMetadata } from "../../../src/ingress/IngressUploads.js"
import { UploadAnnouncer } from "../../../src/ingress/UploadAnnouncer.js"
import { Kafka, KafkaUnavailable, type OutgoingMessage } from "../../../src/services/Kafka.js"

const message: AnnounceMessage = {
  account: "",
  category: "tar",
  content_type: "application/vnd.redhat.hccm.tar+tgz",
  metadata: { reporter: "", stale_timestamp: GO_ZERO_TIME },
  request_id: "ab1e2a00cc2a4ddc8c59b91b73c9ce33",
  principal: "3340851",
  org_id: "3340851",
  service: "hccm",
  size: 1929989,
  url: "http://127.0.0.1:9000/insights-upload-perma/ab1e2a00cc2a4ddc8c59b91b73c9ce33?X-Amz-Expires=86400",
  b64_identity: "eyJpZGVudGl0eSI6e319",
  timestamp: "2026-11-26T05:34:28.321123456Z"
}

const capturing = (sent: Ref.Ref<ReadonlyArray<OutgoingMessage>>) =>
  UploadAnnouncer.layerFromKafka.pipe(
    Layer.provide(Layer.mock(Kafka, { send: (messages) => Ref.update(sent, (all) => [...all, ...messages]) })),
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map())))
  )

describe("UploadAnnouncer", () => {
  it.effect("publishes upstream's JSON, in upstream's field order, with the service header and the queue key", () =>
    Effect.gen(function* () {
      const sent = yield* Ref.make<ReadonlyArray<OutgoingMessage>>([])
      yield* Effect.gen(function* () {
        const announcer = yield* UploadAnnouncer
        yield* announcer.announce(message, null)
        yield* announcer.announce(message, "queue-1")
      }).pipe(Effect.provide(capturing(sent)))
      const [first, second] = yield* Ref.get(sent)
      expect(first).toEqual({
        topic: "platform.upload.announce",
        key: null,
        headers: { service: "hccm" },
        value:
          '{"account":"","category":"tar","content_type":"application/vnd.redhat.hccm.tar+tgz",' +
          '"metadata":{"reporter":"","stale_timestamp":"0001-01-01T00:00:00Z"},' +
          '"request_id":"ab1e2a00cc2a4ddc8c59b91b73c9ce33","principal":"3340851","org_id":"3340851","service":"hccm",' +
          '"size":1929989,"url":"http://127.0.0.1:9000/insights-upload-perma/ab1e2a00cc2a4ddc8c59b91b73c9ce33?X-Amz-Expires=86400",' +
          '"b64_identity":"eyJpZGVudGl0eSI6e319","timestamp":"2026-11-26T05:34:28.321123456Z"}'
      })
      expect(second?.key).toBe("queue-1")
    })
  )

  it.effect("turns a Kafka failure into AnnounceFailed", () =>
    Effect.gen(function* () {
      const failing = UploadAnnouncer.layerFromKafka.pipe(
        Layer.provide(
          Layer.mock(Kafka, { send: () => Effect.fail(new KafkaUnavailable({ operation: "send", message: "down" })) })
        )
      )
      const error = yield* Effect.flip(
        Effect.flatMap(UploadAnnouncer, (a) => a.announce(message, null)).pipe(Effect.provide(failing))
      )
      expect(error._tag === "AnnounceFailed" && error.reason).toBe("Kafka send: down")
    })
  )
})

describe("announceMetadata (the metadata part, as upstream's GetMetadata)", () => {
  const now = BigInt(Date.parse("2026-01-01T00:00:00Z")) * 1_000_000n

  it('is reporter "" and Go\'s zero time without a metadata part, or with one that does not decode', () => {
    expect(announceMetadata(undefined, now)).toEqual({ reporter: "", stale_timestamp: GO_ZERO_TIME })
    expect(announceMetadata("not json", now)).toEqual({ reporter: "", stale_timestamp: GO_ZERO_TIME })
    expect(announceMetadata('{"fqdn": 3}', now)).toEqual({ reporter: "", stale_timestamp: GO_ZERO_TIME })
  })

  it("keeps the known non-empty fields in upstream's order, sets reporter and stale_timestamp", () => {
    const text = JSON.stringify({
      queue_key: "k",
      custom_metadata: { a: "1" },
      fqdn: "host.example.com",
      mac_addresses: [],
      ip_addresses: ["10.0.0.1"],
      account: "",
      org_id: null,
      reporter: "someone",
      stale_timestamp: "2000-01-01T00:00:00Z",
      extra: true
    })
    const metadata = announceMetadata(text, now)
    expect(Object.keys(metadata)).toEqual([
      "ip_addresses",
      "fqdn",
      "custom_metadata",
      "reporter",
      "stale_timestamp",
      "queue_key"
    ])
    expect(metadata).toMatchObject({ reporter: "ingress", stale_timestamp: "2026-01-31T00:00:00Z", queue_key: "k" })
  })
})
