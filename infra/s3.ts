/**
 * A small S3 command-line client for the local S3 server (or any S3-compatible one), run by `infra/s3`:
 *
 *   infra/s3 cp <file> s3://<bucket>/<key>        upload (a key ending in "/", or none, takes the file's name)
 *   infra/s3 cp s3://<bucket>/<key> <file | ->    download (- = stdout)
 *   infra/s3 ls [s3://<bucket>[/<prefix>]]        the buckets, or the objects of a bucket under a prefix
 *   infra/s3 presign s3://<bucket>/<key> [--expires-in <seconds>]   a presigned GET URL of an existing object
 *   infra/s3 rm s3://<bucket>/<key>               delete an object
 *
 * Settings are the app's (src/services/Settings.ts), same variables and defaults: S3_ENDPOINT
 * (http://127.0.0.1:9000), S3_REGION (us-east-1), S3_ACCESS_KEY / S3_SECRET (minioadmin), ROS_URL_EXPIRATION
 * (172800, the default lifetime of a presigned URL). Exit codes: 0 done, 1 failed (one line on stderr), 2 bad usage.
 */
import { createReadStream, createWriteStream } from "node:fs"
import { stat } from "node:fs/promises"
import { basename } from "node:path"
import type { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException
} from "@aws-sdk/client-s3"
import { Upload } from "@aws-sdk/lib-storage"
import { getSignedUrl } from "@aws-sdk/s3-request-presigner"

const PROG = "s3"

class UsageError extends Error {}
class CommandError extends Error {}

const env = (name: string, fallback: string): string => {
  const v = process.env[name]
  return v === undefined || v.trim() === "" ? fallback : v.trim()
}

const endpoint = env("S3_ENDPOINT", "http://127.0.0.1:9000").replace(/\/+$/, "")

const client = new S3Client({
  endpoint,
  region: env("S3_REGION", "us-east-1"),
  forcePathStyle: true,
  credentials: { accessKeyId: env("S3_ACCESS_KEY", "minioadmin"), secretAccessKey: env("S3_SECRET", "minioadmin") },
  // As the app (ObjectStoreLive): no default CRC32 checksums, which some S3-compatible servers reject.
  requestChecksumCalculation: "WHEN_REQUIRED",
  responseChecksumValidation: "WHEN_REQUIRED",
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 5_000 }
})

interface S3Path {
  readonly bucket: string
  readonly key: string
}

const isS3 = (arg: string) => arg.startsWith("s3://")

const parseS3 = (arg: string): S3Path => {
  if (!isS3(arg)) throw new UsageError(`expected s3://<bucket>[/<key>], got ${JSON.stringify(arg)}`)
  const rest = arg.slice("s3://".length)
  const slash = rest.indexOf("/")
  const bucket = slash < 0 ? rest : rest.slice(0, slash)
  const key = slash < 0 ? "" : rest.slice(slash + 1)
  if (bucket === "") throw new UsageError(`no bucket in ${JSON.stringify(arg)}`)
  return { bucket, key }
}

const needKey = (arg: string): S3Path => {
  const path = parseS3(arg)
  if (path.key === "" || path.key.endsWith("/")) throw new UsageError(`no object key in ${JSON.stringify(arg)}`)
  return path
}

const contentTypes: Record<string, string> = {
  ".csv": "text/csv",
  ".json": "application/json",
  ".gz": "application/gzip",
  ".tgz": "application/gzip",
  ".txt": "text/plain"
}

const contentType = (file: string): string => {
  const dot = file.lastIndexOf(".")
  return (dot < 0 ? undefined : contentTypes[file.slice(dot).toLowerCase()]) ?? "application/octet-stream"
}

/** The S3 error as one line a user can act on. */
const describe = (error: unknown, path?: Partial<S3Path>): string => {
  const where = path?.bucket === undefined ? "" : ` s3://${path.bucket}${path.key ? `/${path.key}` : ""}`
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode
    switch (error.name) {
      case "NoSuchBucket":
        return `bucket ${JSON.stringify(path?.bucket)} does not exist at ${endpoint}`
      case "NoSuchKey":
        return `no such object:${where}`
      case "NotFound":
        return path?.key
          ? `no such object:${where}`
          : `bucket ${JSON.stringify(path?.bucket)} does not exist at ${endpoint}`
      case "AccessDenied":
      case "Forbidden":
        return `access denied to${where} (check S3_ACCESS_KEY / S3_SECRET)`
      case "InvalidAccessKeyId":
      case "SignatureDoesNotMatch":
        return `S3 at ${endpoint} refused the credentials (${error.name}; check S3_ACCESS_KEY / S3_SECRET)`
      default:
        return `${error.name}${status === undefined ? "" : ` (HTTP ${status})`}${where}: ${error.message}`
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "ECONNRESET") {
    return `cannot reach S3 at ${endpoint} (${code}); is it running? (infra/up, infra/status)`
  }
  return error instanceof Error ? error.message : String(error)
}

/** Runs an S3 call; any failure becomes a CommandError with a readable message. */
const s3 = async <A>(run: () => Promise<A>, path?: Partial<S3Path>): Promise<A> => {
  try {
    return await run()
  } catch (error) {
    throw new CommandError(describe(error, path))
  }
}

/** A bucket that exists, or a clear error (a missing bucket surfaces as a bare 404 on some calls). */
const checkBucket = (bucket: string) => s3(() => client.send(new HeadBucketCommand({ Bucket: bucket })), { bucket })

const upload = async (file: string, target: string) => {
  const info = await stat(file).catch(() => undefined)
  if (info === undefined) throw new CommandError(`no such file: ${file}`)
  if (!info.isFile()) throw new CommandError(`not a regular file: ${file}`)
  const dest = parseS3(target)
  const key = dest.key === "" || dest.key.endsWith("/") ? `${dest.key}${basename(file)}` : dest.key
  await checkBucket(dest.bucket)
  await s3(
    () =>
      new Upload({
        client,
        params: { Bucket: dest.bucket, Key: key, Body: createReadStream(file), ContentType: contentType(file) }
      }).done(),
    { bucket: dest.bucket, key }
  )
  console.log(`uploaded ${file} to s3://${dest.bucket}/${key} (${info.size} bytes; ${endpoint}/${dest.bucket}/${key})`)
}

const download = async (source: string, file: string) => {
  const src = needKey(source)
  await checkBucket(src.bucket)
  const answer = await s3(() => client.send(new GetObjectCommand({ Bucket: src.bucket, Key: src.key })), src)
  const body = answer.Body as Readable | undefined
  if (body === undefined) throw new CommandError(`s3://${src.bucket}/${src.key} has no body`)
  if (file === "-") {
    await pipeline(body, process.stdout)
    return
  }
  await pipeline(body, createWriteStream(file)).catch((error: unknown) => {
    throw new CommandError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`)
  })
  console.error(`downloaded s3://${src.bucket}/${src.key} to ${file}`)
}

const stamp = (date: Date | undefined) => (date === undefined ? "-" : date.toISOString().replace("T", " ").slice(0, 19))

const list = async (target: string | undefined) => {
  if (target === undefined) {
    const answer = await s3(() => client.send(new ListBucketsCommand({})))
    for (const b of answer.Buckets ?? []) console.log(`${stamp(b.CreationDate)} ${b.Name ?? ""}`)
    return
  }
  const { bucket, key: prefix } = parseS3(target)
  await checkBucket(bucket)
  let token: string | undefined
  do {
    const page = await s3(
      () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(prefix === "" ? {} : { Prefix: prefix }),
            ...(token === undefined ? {} : { ContinuationToken: token })
          })
        ),
      { bucket }
    )
    for (const o of page.Contents ?? []) {
      console.log(`${stamp(o.LastModified)} ${String(o.Size ?? 0).padStart(12)} ${o.Key ?? ""}`)
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (token !== undefined)
}

const presign = async (target: string, expiresIn: number) => {
  const path = needKey(target)
  await checkBucket(path.bucket)
  await s3(() => client.send(new HeadObjectCommand({ Bucket: path.bucket, Key: path.key })), path)
  const url = await s3(
    () => getSignedUrl(client, new GetObjectCommand({ Bucket: path.bucket, Key: path.key }), { expiresIn }),
    path
  )
  console.log(url)
}

const remove = async (target: string) => {
  const path = needKey(target)
  await checkBucket(path.bucket)
  await s3(() => client.send(new HeadObjectCommand({ Bucket: path.bucket, Key: path.key })), path)
  await s3(() => client.send(new DeleteObjectCommand({ Bucket: path.bucket, Key: path.key })), path)
  console.log(`deleted s3://${path.bucket}/${path.key}`)
}

const usage = `Usage:
  infra/s3 cp <file> s3://<bucket>/<key>        upload a file (a key ending in "/" takes the file's name)
  infra/s3 cp s3://<bucket>/<key> <file | ->    download an object (- = stdout)
  infra/s3 ls [s3://<bucket>[/<prefix>]]        list the buckets, or a bucket's objects
  infra/s3 presign s3://<bucket>/<key> [--expires-in <seconds>]
                                                print a presigned GET URL (default lifetime: ROS_URL_EXPIRATION)
  infra/s3 rm s3://<bucket>/<key>               delete an object
Endpoint and credentials: S3_ENDPOINT (${endpoint}), S3_REGION, S3_ACCESS_KEY, S3_SECRET.`

const expectArgs = (args: ReadonlyArray<string>, min: number, max: number, command: string) => {
  if (args.length < min || args.length > max) throw new UsageError(`${command}: wrong number of arguments`)
}

const main = async (argv: ReadonlyArray<string>) => {
  const [command, ...args] = argv
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
    case "help":
      console.log(usage)
      return
    case "cp": {
      expectArgs(args, 2, 2, "cp")
      const [from, to] = args as [string, string]
      if (isS3(from) && !isS3(to)) return download(from, to)
      if (!isS3(from) && isS3(to)) return upload(from, to)
      throw new UsageError("cp: exactly one of the two arguments must be an s3:// address")
    }
    case "ls":
      expectArgs(args, 0, 1, "ls")
      return list(args[0])
    case "presign": {
      const rest = [...args]
      let expiresIn = Number(env("ROS_URL_EXPIRATION", "172800"))
      const flag = rest.findIndex((a) => a === "--expires-in" || a.startsWith("--expires-in="))
      if (flag >= 0) {
        const arg = rest[flag]!
        const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : rest[flag + 1]
        rest.splice(flag, arg.includes("=") ? 1 : 2)
        expiresIn = Number(value)
      }
      if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604800) {
        throw new UsageError("presign: --expires-in must be a whole number of seconds from 1 to 604800 (7 days)")
      }
      expectArgs(rest, 1, 1, "presign")
      return presign(rest[0]!, expiresIn)
    }
    case "rm":
      expectArgs(args, 1, 1, "rm")
      return remove(args[0]!)
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  }
}

main(process.argv.slice(2)).then(
  () => client.destroy(),
  (error: unknown) => {
    client.destroy()
    if (error instanceof UsageError) {
      console.error(`${PROG}: ${error.message}\n${usage}`)
      process.exitCode = 2
    } else {
      console.error(`${PROG}: ${error instanceof CommandError ? error.message : describe(error)}`)
      process.exitCode = 1
    }
  }
)
