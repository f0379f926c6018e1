/**
 * Which service an upload is for, read from its file part's Content-Type exactly as insights-ingress-go does
 * (ingress-koku-sources.md A.4): three gzip types mean `advisor`, anything else must contain
 * `application/vnd.redhat.<service>.<category>`. The match is case-sensitive and unanchored, as upstream's.
 */
import { Option } from "effect"

export interface ServiceDescriptor {
  readonly service: string
  readonly category: string
}

const ADVISOR_TYPES: ReadonlySet<string> = new Set([
  "application/x-gzip; charset=binary",
  "application/gzip",
  "application/gzip; charset=binary"
])

const VND_REDHAT = /application\/vnd\.redhat\.([a-z0-9-]+)\.([a-z0-9-]+)/

/** The service and category a part's Content-Type names; none when upstream would answer 415. */
export const serviceDescriptor = (contentType: string): Option.Option<ServiceDescriptor> => {
  if (ADVISOR_TYPES.has(contentType)) return Option.some({ service: "advisor", category: "upload" })
  const match = VND_REDHAT.exec(contentType)
  const service = match?.[1]
  const category = match?.[2]
  return service === undefined || category === undefined ? Option.none() : Option.some({ service, category })
}
