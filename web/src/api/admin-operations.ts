import { graphql } from '../gql';

export const CreateUserMutation = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) { id username displayName active roles department { id name } }
  }
`);

export const UpdateUserMutation = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      id username displayName email phone wecomUserId active roles department { id name } manager { id displayName }
    }
  }
`);

export const DeactivateUserMutation = graphql(`
  mutation DeactivateUser($id: ID!) { deactivateUser(id: $id) { id active } }
`);

export const ReactivateUserMutation = graphql(`
  mutation ReactivateUser($id: ID!) { reactivateUser(id: $id) { id active } }
`);

export const CreateDepartmentMutation = graphql(`
  mutation CreateDepartment($input: CreateDepartmentInput!) {
    createDepartment(input: $input) { id name active parent { id } head { id displayName username } }
  }
`);

export const UpdateDepartmentMutation = graphql(`
  mutation UpdateDepartment($input: UpdateDepartmentInput!) {
    updateDepartment(input: $input) { id name active parent { id } head { id displayName username } }
  }
`);

export const DeactivateDepartmentMutation = graphql(`
  mutation DeactivateDepartment($id: ID!) { deactivateDepartment(id: $id) { id active } }
`);

export const ReactivateDepartmentMutation = graphql(`
  mutation ReactivateDepartment($id: ID!) { reactivateDepartment(id: $id) { id active } }
`);

export const CreateRoleMutation = graphql(`
  mutation CreateRole($code: String!, $name: String!) { createRole(code: $code, name: $name) { id code name system } }
`);

export const RenameRoleMutation = graphql(`
  mutation RenameRole($id: ID!, $name: String!) { renameRole(id: $id, name: $name) { id code name system } }
`);

export const ProxiesQuery = graphql(`
  query Proxies($currentOnly: Boolean! = false) {
    proxies(first: 100, currentOnly: $currentOnly) {
      nodes {
        id templateCode startsAt endsAt revokedAt active
        principal { id displayName username }
        proxy { id displayName username }
      }
    }
  }
`);

export const CreateProxyMutation = graphql(`
  mutation CreateProxy($input: CreateProxyInput!) { createProxy(input: $input) { id active } }
`);

export const RevokeProxyMutation = graphql(`
  mutation RevokeProxy($id: ID!) { revokeProxy(id: $id) { id active revokedAt } }
`);

export const ApiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens { id name prefix createdAt lastUsedAt revokedAt user { id displayName username } }
  }
`);

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($userId: ID!, $name: String!) {
    createApiToken(userId: $userId, name: $name) { secret token { id name prefix createdAt } }
  }
`);

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }
`);

export const CreateTemplateMutation = graphql(`
  mutation CreateTemplate($input: TemplateInput!) {
    createTemplate(input: $input) { id code name category active currentVersion }
  }
`);

export const UpdateTemplateMutation = graphql(`
  mutation UpdateTemplate($input: TemplateInput!) {
    updateTemplate(input: $input) { id code name category active currentVersion }
  }
`);

export const DeactivateTemplateMutation = graphql(`
  mutation DeactivateTemplate($code: String!) { deactivateTemplate(code: $code) { id active } }
`);

export const ReactivateTemplateMutation = graphql(`
  mutation ReactivateTemplate($code: String!) { reactivateTemplate(code: $code) { id active } }
`);

export const DeliveriesQuery = graphql(`
  query Deliveries($status: DeliveryStatus, $channel: NotificationChannel, $ticketId: ID, $recipientId: ID, $first: Int, $beforeId: ID) {
    deliveries(status: $status, channel: $channel, ticketId: $ticketId, recipientId: $recipientId, first: $first, beforeId: $beforeId) {
      id eventId ticketId recipientId channel kind status attempts nextAttemptAt lastError providerId createdAt sentAt
    }
  }
`);

export const RetryDeliveryMutation = graphql(`
  mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) }
`);

export const RetryDeadDeliveriesMutation = graphql(`
  mutation RetryDeadDeliveries($channel: NotificationChannel) { retryDeadDeliveries(channel: $channel) }
`);

export const SendTestNotificationMutation = graphql(`
  mutation SendTestNotification($channel: NotificationChannel!, $userId: ID!) {
    sendTestNotification(channel: $channel, userId: $userId)
  }
`);

export const RobotsQuery = graphql(`
  query Robots {
    robots { id name keyHint templateCode departmentId active }
  }
`);

export const CreateRobotMutation = graphql(`
  mutation CreateRobot($input: CreateRobotInput!) {
    createRobot(input: $input) { id name keyHint templateCode departmentId active }
  }
`);

export const DeleteRobotMutation = graphql(`
  mutation DeleteRobot($id: ID!) { deleteRobot(id: $id) }
`);

export const ChannelSettingsQuery = graphql(`
  query ChannelSettings {
    channelSettings {
      mail { configured smtpUrl mailFrom }
      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }
    }
  }
`);

export const UpdateChannelSettingsMutation = graphql(`
  mutation UpdateChannelSettings($input: ChannelSettingsInput!) {
    updateChannelSettings(input: $input) {
      mail { configured smtpUrl mailFrom }
      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }
    }
  }
`);

// 自动化任务: jobs in one status (FAILED by default), newest first; older
// ones follow `before` (a job id).
export const JobsQuery = graphql(`
  query Jobs($status: JobStatus, $kind: String, $before: ID, $first: Int! = 30) {
    jobs(status: $status, kind: $kind, before: $before, first: $first) {
      ...JobFields
      ticket { id number title status }
    }
  }
`);

export const RetryJobMutation = graphql(`
  mutation RetryJob($jobId: ID!) {
    retryJob(jobId: $jobId) { ...JobFields }
  }
`);

export const SkipJobMutation = graphql(`
  mutation SkipJob($jobId: ID!) {
    skipJob(jobId: $jobId) { ...JobFields }
  }
`);

export const RejectProcessingMutation = graphql(`
  mutation RejectProcessing($ticketId: ID!, $reason: String!) {
    rejectProcessing(ticketId: $ticketId, reason: $reason) { ...TicketPayloadFields }
  }
`);

export const WebhookSigningSecretQuery = graphql(`
  query WebhookSigningSecret {
    webhookSigningSecret
  }
`);
