/**
 * Local mode: the page itself makes the `X-Rh-Identity` header (base64 of the identity JSON) that a gateway puts
 * on every request in production. The org chosen in the selector is the only tenant the page ever asks for.
 */

/** The org of the sample upload and of `ros-ocp upload` (ORG_ID's default). */
export const DEFAULT_ORG_ID = "3340851"

const base64 = (text: string): string => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** The header value for a user of `orgId`. */
export const identityHeader = (orgId: string): string =>
  base64(
    JSON.stringify({
      identity: {
        org_id: orgId,
        account_number: "",
        type: "User",
        auth_type: "basic-auth",
        internal: { org_id: orgId },
        user: { username: "web-view", is_org_admin: true }
      }
    })
  )

/** An org id as the selector accepts it: letters, digits, dash and underscore, at most 64 characters. */
export const isOrgId = (value: string): boolean => /^[A-Za-z0-9_-]{1,64}$/.test(value)
