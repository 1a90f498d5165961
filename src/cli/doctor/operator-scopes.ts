/**
 * What `npm run doctor` asks an operator's own sign-in for: delegated Microsoft Graph reads of app
 * registrations and service principals (`Application.Read.All`), consent grants (`Directory.Read.All`,
 * the least privilege Graph lists for `oauth2PermissionGrants`) and PIM policies
 * (`RoleManagementPolicy.Read.Directory`). Never granted to Elevate's own app (research-9 §7).
 */
export const OPERATOR_SCOPES: readonly string[] = ['Application.Read.All', 'Directory.Read.All', 'RoleManagementPolicy.Read.Directory'];

/**
 * Microsoft Graph Command Line Tools: a public client that may ask for any Graph scope dynamically,
 * unlike the Azure CLI's first-party client, which is pre-authorised for a few Graph permissions only
 * (AADSTS65002 otherwise; research-9 §6). A dedicated single-tenant app registration with "Allow
 * public client flows" and exactly these scopes is cleaner (ELEVATE_DOCTOR_CLIENT_ID).
 */
export const GRAPH_COMMAND_LINE_TOOLS_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
