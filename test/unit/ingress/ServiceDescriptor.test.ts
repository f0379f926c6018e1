import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { serviceDescriptor } from "../../../src/ingress/ServiceDescriptor.js"

const of = (contentType: string) => Option.getOrUndefined(serviceDescriptor(contentType))

describe("serviceDescriptor (the part's Content-Type, as upstream's getServiceDescriptor)", () => {
  it("reads service and category from application/vnd.redhat.<service>.<category>", () => {
    expect(of("application/vnd.redhat.hccm.tar+tgz")).toEqual({ service: "hccm", category: "tar" })
    expect(of("application/vnd.redhat.hccm.filename+tgz")).toEqual({ service: "hccm", category: "filename" })
    expect(of("application/vnd.redhat.hccm.upload")).toEqual({ service: "hccm", category: "upload" })
    expect(of("application/vnd.redhat.qpc-2.tar-ball")).toEqual({ service: "qpc-2", category: "tar-ball" })
    // The match is unanchored and ignores what follows, parameters included.
    expect(of("application/vnd.redhat.hccm.tar+tgz; charset=binary")).toEqual({ service: "hccm", category: "tar" })
    expect(of("xapplication/vnd.redhat.a.b.c")).toEqual({ service: "a", category: "b" })
  })

  it("maps the three gzip types, exactly as written, to advisor", () => {
    for (const type of ["application/gzip", "application/gzip; charset=binary", "application/x-gzip; charset=binary"]) {
      expect(of(type)).toEqual({ service: "advisor", category: "upload" })
    }
    expect(of("application/x-gzip")).toBeUndefined()
    expect(of("application/gzip;charset=binary")).toBeUndefined()
  })

  it("names no service for anything else: upper case, missing category, other types", () => {
    for (const type of [
      "application/octet-stream",
      "text/plain",
      "application/vnd.redhat.HCCM.tar",
      "application/vnd.redhat.hccm",
      "application/vnd.redhat..tar",
      "application/vnd.redhat.hccm_x.tar",
      ""
    ]) {
      expect([type, of(type)]).toEqual([type, undefined])
    }
  })
})
