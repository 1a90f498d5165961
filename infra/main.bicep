// Elevate on Azure: App Service (Linux, Node 20) with a user-assigned managed identity, Azure Bot
// (Teams channel) of type UserAssignedMSI, a Storage account for the Azure Tables store, Application
// Insights, and the role assignments between them. No secret is a parameter: ELEVATE_AUDIT_KEYS (and
// ELEVATE_SIGNIN_KEY) are Key Vault references. Not compiled on the development machines (no Bicep CLI
// there): `az bicep build --file infra/main.bicep` checks it (README "Running on Azure").
targetScope = 'resourceGroup'

@description('Prefix of every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param resourceBaseName string

param location string = resourceGroup().location

@description('AAD_APP_CLIENT_ID: Elevate\'s Entra app (Teams SSO, on-behalf-of, app-only calls).')
param aadAppClientId string

@description('AAD_APP_ID_URI: its application ID URI, the Teams manifest\'s webApplicationInfo.resource.')
param aadAppIdUri string

@description('SECURITY_GROUP_ID: object id of the security team\'s Entra group.')
param securityGroupId string

@description('ELEVATE_ROLES: Entra role template ids offered for self-elevation; empty for all three.')
param elevateRoles string = ''

@description('ELEVATE_REMINDER_MINUTES: reminders before expiry.')
param elevateReminderMinutes string = '15,5'

@description('Key Vault secret URI holding ELEVATE_AUDIT_KEYS (keyId:base64secret, newest first). Grant the identity Key Vault Secrets User on that vault.')
param elevateAuditKeysSecretUri string

@description('Key Vault secret URI holding ELEVATE_SIGNIN_KEY; empty: derived from the sealing audit key.')
param elevateSigninKeySecretUri string = ''

@description('App Service plan SKU (B1 for a trial, P0v3 or above for two instances).')
param appServiceSku string = 'P0v3'

@description('Instances of the web app (several share the Azure Tables store).')
@minValue(1)
param instanceCount int = 2

@description('Azure Bot SKU: F0 (free) or S1.')
param botSku string = 'S1'

var settings = loadJsonContent('app-settings.json')
var storageName = toLower('${resourceBaseName}store')
var tables = ['elevateElevations', 'elevateDocuments', 'elevateClaims', 'elevateTimers', 'elevateAudit']
// Built-in role: Storage Table Data Contributor (learn.microsoft.com, Azure built-in roles).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource elevateTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

resource tableAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku, capacity: instanceCount }
  properties: { reserved: true }
}

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: '${resourceBaseName}-bot'
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node --disable-warning=DEP0111 dist/src/main.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      healthCheckPath: '/readyz'
    }
  }
}

resource webSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: web
  name: 'appsettings'
  properties: union(settings.static, settings.platform, {
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_ID_URI: aadAppIdUri
    SECURITY_GROUP_ID: securityGroupId
    ELEVATE_ROLES: elevateRoles
    ELEVATE_REMINDER_MINUTES: elevateReminderMinutes
    BOT_ID: identity.properties.clientId
    BOT_TENANT_ID: tenant().tenantId
    AAD_APP_TENANT_ID: tenant().tenantId
    AAD_APP_FEDERATED_MSI_CLIENT_ID: identity.properties.clientId
    AZURE_CLIENT_ID: identity.properties.clientId
    ELEVATE_STORE: 'azuretables:${storage.properties.primaryEndpoints.table}'
    ELEVATE_PUBLIC_URL: 'https://${web.properties.defaultHostName}'
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    ELEVATE_AUDIT_KEYS: '@Microsoft.KeyVault(SecretUri=${elevateAuditKeysSecretUri})'
  }, empty(elevateSigninKeySecretUri) ? {} : {
    ELEVATE_SIGNIN_KEY: '@Microsoft.KeyVault(SecretUri=${elevateSigninKeySecretUri})'
  })
  dependsOn: [tableAccess]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-azurebot'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'Elevate'
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output BOT_ID string = identity.properties.clientId
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = web.id
output BOT_DOMAIN string = web.properties.defaultHostName
@description('Subject of the federated credential to add to Elevate\'s app (az ad app federated-credential create).')
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
