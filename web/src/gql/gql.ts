/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id username displayName active roles department { id name } }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      id username displayName email phone wecomUserId active roles department { id name } manager { id displayName }\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation DeactivateUser($id: ID!) { deactivateUser(id: $id) { id active } }\n": typeof types.DeactivateUserDocument,
    "\n  mutation ReactivateUser($id: ID!) { reactivateUser(id: $id) { id active } }\n": typeof types.ReactivateUserDocument,
    "\n  mutation CreateDepartment($input: CreateDepartmentInput!) {\n    createDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n": typeof types.CreateDepartmentDocument,
    "\n  mutation UpdateDepartment($input: UpdateDepartmentInput!) {\n    updateDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n": typeof types.UpdateDepartmentDocument,
    "\n  mutation DeactivateDepartment($id: ID!) { deactivateDepartment(id: $id) { id active } }\n": typeof types.DeactivateDepartmentDocument,
    "\n  mutation ReactivateDepartment($id: ID!) { reactivateDepartment(id: $id) { id active } }\n": typeof types.ReactivateDepartmentDocument,
    "\n  mutation CreateRole($code: String!, $name: String!) { createRole(code: $code, name: $name) { id code name system } }\n": typeof types.CreateRoleDocument,
    "\n  mutation RenameRole($id: ID!, $name: String!) { renameRole(id: $id, name: $name) { id code name system } }\n": typeof types.RenameRoleDocument,
    "\n  query Proxies($currentOnly: Boolean! = false) {\n    proxies(first: 100, currentOnly: $currentOnly) {\n      nodes {\n        id templateCode startsAt endsAt revokedAt active\n        principal { id displayName username }\n        proxy { id displayName username }\n      }\n    }\n  }\n": typeof types.ProxiesDocument,
    "\n  mutation CreateProxy($input: CreateProxyInput!) { createProxy(input: $input) { id active } }\n": typeof types.CreateProxyDocument,
    "\n  mutation RevokeProxy($id: ID!) { revokeProxy(id: $id) { id active revokedAt } }\n": typeof types.RevokeProxyDocument,
    "\n  query ApiTokens {\n    apiTokens { id name prefix createdAt lastUsedAt revokedAt user { id displayName username } }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($userId: ID!, $name: String!) {\n    createApiToken(userId: $userId, name: $name) { secret token { id name prefix createdAt } }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }\n": typeof types.RevokeApiTokenDocument,
    "\n  mutation CreateTemplate($input: TemplateInput!) {\n    createTemplate(input: $input) { id code name category active currentVersion }\n  }\n": typeof types.CreateTemplateDocument,
    "\n  mutation UpdateTemplate($input: TemplateInput!) {\n    updateTemplate(input: $input) { id code name category active currentVersion }\n  }\n": typeof types.UpdateTemplateDocument,
    "\n  mutation DeactivateTemplate($code: String!) { deactivateTemplate(code: $code) { id active } }\n": typeof types.DeactivateTemplateDocument,
    "\n  mutation ReactivateTemplate($code: String!) { reactivateTemplate(code: $code) { id active } }\n": typeof types.ReactivateTemplateDocument,
    "\n  query Deliveries($status: DeliveryStatus, $channel: NotificationChannel, $ticketId: ID, $recipientId: ID, $first: Int, $beforeId: ID) {\n    deliveries(status: $status, channel: $channel, ticketId: $ticketId, recipientId: $recipientId, first: $first, beforeId: $beforeId) {\n      id eventId ticketId recipientId channel kind status attempts nextAttemptAt lastError providerId createdAt sentAt\n    }\n  }\n": typeof types.DeliveriesDocument,
    "\n  mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) }\n": typeof types.RetryDeliveryDocument,
    "\n  mutation RetryDeadDeliveries($channel: NotificationChannel) { retryDeadDeliveries(channel: $channel) }\n": typeof types.RetryDeadDeliveriesDocument,
    "\n  mutation SendTestNotification($channel: NotificationChannel!, $userId: ID!) {\n    sendTestNotification(channel: $channel, userId: $userId)\n  }\n": typeof types.SendTestNotificationDocument,
    "\n  query Robots {\n    robots { id name keyHint templateCode departmentId active }\n  }\n": typeof types.RobotsDocument,
    "\n  mutation CreateRobot($input: CreateRobotInput!) {\n    createRobot(input: $input) { id name keyHint templateCode departmentId active }\n  }\n": typeof types.CreateRobotDocument,
    "\n  mutation DeleteRobot($id: ID!) { deleteRobot(id: $id) }\n": typeof types.DeleteRobotDocument,
    "\n  query ChannelSettings {\n    channelSettings {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n": typeof types.ChannelSettingsDocument,
    "\n  mutation UpdateChannelSettings($input: ChannelSettingsInput!) {\n    updateChannelSettings(input: $input) {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n": typeof types.UpdateChannelSettingsDocument,
    "\n  query Jobs($status: JobStatus, $kind: String, $before: ID, $first: Int! = 30) {\n    jobs(status: $status, kind: $kind, before: $before, first: $first) {\n      ...JobFields\n      ticket { id number title status }\n    }\n  }\n": typeof types.JobsDocument,
    "\n  mutation RetryJob($jobId: ID!) {\n    retryJob(jobId: $jobId) { ...JobFields }\n  }\n": typeof types.RetryJobDocument,
    "\n  mutation SkipJob($jobId: ID!) {\n    skipJob(jobId: $jobId) { ...JobFields }\n  }\n": typeof types.SkipJobDocument,
    "\n  mutation RejectProcessing($ticketId: ID!, $reason: String!) {\n    rejectProcessing(ticketId: $ticketId, reason: $reason) { ...TicketPayloadFields }\n  }\n": typeof types.RejectProcessingDocument,
    "\n  query WebhookSigningSecret {\n    webhookSigningSecret\n  }\n": typeof types.WebhookSigningSecretDocument,
    "\n  query Me {\n    me { id username displayName roles department { id name } }\n  }\n": typeof types.MeDocument,
    "\n  query Templates($includeInactive: Boolean! = false) {\n    templates(first: 100, includeInactive: $includeInactive) {\n      nodes { id code name category description active currentVersion updatedAt }\n    }\n  }\n": typeof types.TemplatesDocument,
    "\n  query Template($code: String!) {\n    template(code: $code) {\n      id code name category description active currentVersion\n      current {\n        version formSchema chain automations createdAt\n        fields { key label type required options min max help }\n      }\n      versions { version createdAt }\n    }\n  }\n": typeof types.TemplateDocument,
    "\n  query TemplateVersions($code: String!) {\n    template(code: $code) {\n      id code currentVersion\n      versions { version createdAt formSchema chain }\n    }\n  }\n": typeof types.TemplateVersionsDocument,
    "\n  query Users($search: String, $departmentId: ID, $includeInactive: Boolean! = false, $first: Int = 20, $after: String) {\n    users(search: $search, departmentId: $departmentId, includeInactive: $includeInactive, first: $first, after: $after) {\n      nodes {\n        id username displayName email phone wecomUserId active roles\n        department { id name }\n        manager { id displayName }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  query User($id: ID!) {\n    user(id: $id) { id username displayName department { id name } }\n  }\n": typeof types.UserDocument,
    "\n  query Departments($includeInactive: Boolean! = false) {\n    departments(first: 100, includeInactive: $includeInactive) {\n      nodes { id name active parent { id } head { id displayName username } }\n    }\n  }\n": typeof types.DepartmentsDocument,
    "\n  query Roles {\n    roles { id code name system }\n  }\n": typeof types.RolesDocument,
    "\n  fragment TicketListFields on Ticket {\n    id number title status result templateCode createdAt updatedAt\n    template { id name }\n  }\n": typeof types.TicketListFieldsFragmentDoc,
    "\n  query MyTickets(\n    $status: TicketStatus, $result: TicketResult, $templateCode: String,\n    $createdFrom: DateTime, $createdTo: DateTime, $search: String,\n    $first: Int = 20, $after: String\n  ) {\n    # newest first; Next pages follow endCursor towards older tickets\n    myTickets(\n      status: $status, result: $result, templateCode: $templateCode,\n      createdFrom: $createdFrom, createdTo: $createdTo, search: $search,\n      order: NEWEST_FIRST, first: $first, after: $after\n    ) {\n      nodes { ...TicketListFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MyTicketsDocument,
    "\n  fragment ItemFields on ApprovalItem {\n    id round stepName kind status reason dueAt overdue createdAt decidedAt\n    assignee { id displayName username }\n    onBehalfOf { id displayName username }\n    decidedBy { id displayName username }\n  }\n": typeof types.ItemFieldsFragmentDoc,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id number title status result round templateCode templateVersion form\n      createdAt updatedAt doneAt lastUrgedAt\n      template { id name code current { version } }\n      applicant { id displayName username }\n      department { id name }\n      steps { position name kind mode phase dueAt items { ...ItemFields } }\n      items { ...ItemFields }\n      myPendingItems { ...ItemFields }\n      timeline {\n        id kind payload createdAt statusBefore statusAfter\n        actor { id displayName username }\n        onBehalfOf { id displayName username }\n      }\n      jobs { ...JobFields }\n      rating { score comment ratedAt }\n    }\n  }\n": typeof types.TicketDocument,
    "\n  fragment JobFields on Job {\n    id seq name executor kind status attempts maxAttempts timeoutSeconds\n    output lastError leaseExpiresAt availableAt startedAt finishedAt createdAt\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  query TicketForm($id: ID!) {\n    ticket(id: $id) {\n      id number title status form templateCode templateVersion\n      applicant { id }\n      template {\n        id code name\n        versions { version fields { key label type required options min max help } }\n      }\n    }\n  }\n": typeof types.TicketFormDocument,
    "\n  query Inbox($first: Int = 30, $after: String) {\n    inbox(first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket {\n          id number title status templateCode createdAt\n          template { id name }\n          applicant { id displayName }\n          department { id name }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    inboxCounts { pending overdue }\n  }\n": typeof types.InboxDocument,
    "\n  query HandledItems($first: Int = 20, $after: String) {\n    handledItems(order: NEWEST_FIRST, first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket { id number title status result templateCode }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.HandledItemsDocument,
    "\n  query InboxCounts {\n    inboxCounts { pending overdue }\n  }\n": typeof types.InboxCountsDocument,
    "\n  fragment TicketPayloadFields on TicketPayload {\n    replayed clientMutationId\n    ticket { id number status result round updatedAt }\n  }\n": typeof types.TicketPayloadFieldsFragmentDoc,
    "\n  mutation SubmitTicket($input: SubmitTicketInput!) {\n    submitTicket(input: $input) { ...TicketPayloadFields }\n  }\n": typeof types.SubmitTicketDocument,
    "\n  mutation ResubmitTicket($input: ResubmitTicketInput!) {\n    resubmitTicket(input: $input) { ...TicketPayloadFields }\n  }\n": typeof types.ResubmitTicketDocument,
    "\n  mutation Approve($itemId: ID!, $comment: String, $clientMutationId: String) {\n    approve(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.ApproveDocument,
    "\n  mutation Confirm($itemId: ID!, $comment: String, $clientMutationId: String) {\n    confirm(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.ConfirmDocument,
    "\n  mutation ReturnTicket($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    returnTicket(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.ReturnTicketDocument,
    "\n  mutation Reject($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    reject(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.RejectDocument,
    "\n  mutation Transfer($itemId: ID!, $toUserId: ID!, $comment: String, $clientMutationId: String) {\n    transfer(itemId: $itemId, toUserId: $toUserId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.TransferDocument,
    "\n  mutation AddApprover($itemId: ID!, $userId: ID!, $comment: String, $clientMutationId: String) {\n    addApprover(itemId: $itemId, userId: $userId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.AddApproverDocument,
    "\n  mutation Withdraw($ticketId: ID!, $reason: String, $clientMutationId: String) {\n    withdrawTicket(ticketId: $ticketId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.WithdrawDocument,
    "\n  mutation Comment($ticketId: ID!, $body: String!, $clientMutationId: String) {\n    commentOnTicket(ticketId: $ticketId, body: $body, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": typeof types.CommentDocument,
    "\n  mutation RateTicket($ticketId: ID!, $score: Int!, $comment: String, $clientMutationId: String) {\n    rateTicket(ticketId: $ticketId, score: $score, comment: $comment, clientMutationId: $clientMutationId) {\n      ...TicketPayloadFields\n    }\n  }\n": typeof types.RateTicketDocument,
    "\n  mutation Urge($ticketId: ID!) {\n    urgeTicket(ticketId: $ticketId) { ...TicketPayloadFields }\n  }\n": typeof types.UrgeDocument,
    "\n  query TemplateFields($code: String!) {\n    template(code: $code) {\n      id code\n      versions { version fields { key label type required options min max help } }\n    }\n  }\n": typeof types.TemplateFieldsDocument,
    "\n  query NotificationSettings {\n    notificationSettings { language muted }\n  }\n": typeof types.NotificationSettingsDocument,
    "\n  mutation UpdateNotificationSettings($language: String!, $muted: [String!]!) {\n    updateNotificationSettings(language: $language, muted: $muted) { language muted }\n  }\n": typeof types.UpdateNotificationSettingsDocument,
    "\n  fragment ReportFiguresFields on ReportFigures {\n    filed completed approved rejected withdrawn open\n    cycle { count meanSeconds medianSeconds p90Seconds }\n    response { count meanSeconds medianSeconds p90Seconds }\n    slaItems slaBreached slaBreachRate\n    jobsSucceeded jobsFailed automationSuccessRate\n    jobDuration { count meanSeconds medianSeconds p90Seconds }\n    ratings ratingAverage ratingDistribution\n    backlog { bucket count }\n  }\n": typeof types.ReportFiguresFieldsFragmentDoc,
    "\n  query Report($from: String, $to: String, $timeZone: String, $templateCode: String, $departmentId: ID, $groupBy: ReportGroupBy) {\n    report(from: $from, to: $to, timeZone: $timeZone, templateCode: $templateCode, departmentId: $departmentId, groupBy: $groupBy) {\n      from to timeZone groupBy\n      totals { ...ReportFiguresFields }\n      groups { key label figures { ...ReportFiguresFields } }\n      steps { step wait { count meanSeconds medianSeconds p90Seconds } }\n      approvers { userId name response { count meanSeconds medianSeconds p90Seconds } }\n    }\n  }\n": typeof types.ReportDocument,
};
const documents: Documents = {
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id username displayName active roles department { id name } }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      id username displayName email phone wecomUserId active roles department { id name } manager { id displayName }\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation DeactivateUser($id: ID!) { deactivateUser(id: $id) { id active } }\n": types.DeactivateUserDocument,
    "\n  mutation ReactivateUser($id: ID!) { reactivateUser(id: $id) { id active } }\n": types.ReactivateUserDocument,
    "\n  mutation CreateDepartment($input: CreateDepartmentInput!) {\n    createDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n": types.CreateDepartmentDocument,
    "\n  mutation UpdateDepartment($input: UpdateDepartmentInput!) {\n    updateDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n": types.UpdateDepartmentDocument,
    "\n  mutation DeactivateDepartment($id: ID!) { deactivateDepartment(id: $id) { id active } }\n": types.DeactivateDepartmentDocument,
    "\n  mutation ReactivateDepartment($id: ID!) { reactivateDepartment(id: $id) { id active } }\n": types.ReactivateDepartmentDocument,
    "\n  mutation CreateRole($code: String!, $name: String!) { createRole(code: $code, name: $name) { id code name system } }\n": types.CreateRoleDocument,
    "\n  mutation RenameRole($id: ID!, $name: String!) { renameRole(id: $id, name: $name) { id code name system } }\n": types.RenameRoleDocument,
    "\n  query Proxies($currentOnly: Boolean! = false) {\n    proxies(first: 100, currentOnly: $currentOnly) {\n      nodes {\n        id templateCode startsAt endsAt revokedAt active\n        principal { id displayName username }\n        proxy { id displayName username }\n      }\n    }\n  }\n": types.ProxiesDocument,
    "\n  mutation CreateProxy($input: CreateProxyInput!) { createProxy(input: $input) { id active } }\n": types.CreateProxyDocument,
    "\n  mutation RevokeProxy($id: ID!) { revokeProxy(id: $id) { id active revokedAt } }\n": types.RevokeProxyDocument,
    "\n  query ApiTokens {\n    apiTokens { id name prefix createdAt lastUsedAt revokedAt user { id displayName username } }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($userId: ID!, $name: String!) {\n    createApiToken(userId: $userId, name: $name) { secret token { id name prefix createdAt } }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }\n": types.RevokeApiTokenDocument,
    "\n  mutation CreateTemplate($input: TemplateInput!) {\n    createTemplate(input: $input) { id code name category active currentVersion }\n  }\n": types.CreateTemplateDocument,
    "\n  mutation UpdateTemplate($input: TemplateInput!) {\n    updateTemplate(input: $input) { id code name category active currentVersion }\n  }\n": types.UpdateTemplateDocument,
    "\n  mutation DeactivateTemplate($code: String!) { deactivateTemplate(code: $code) { id active } }\n": types.DeactivateTemplateDocument,
    "\n  mutation ReactivateTemplate($code: String!) { reactivateTemplate(code: $code) { id active } }\n": types.ReactivateTemplateDocument,
    "\n  query Deliveries($status: DeliveryStatus, $channel: NotificationChannel, $ticketId: ID, $recipientId: ID, $first: Int, $beforeId: ID) {\n    deliveries(status: $status, channel: $channel, ticketId: $ticketId, recipientId: $recipientId, first: $first, beforeId: $beforeId) {\n      id eventId ticketId recipientId channel kind status attempts nextAttemptAt lastError providerId createdAt sentAt\n    }\n  }\n": types.DeliveriesDocument,
    "\n  mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) }\n": types.RetryDeliveryDocument,
    "\n  mutation RetryDeadDeliveries($channel: NotificationChannel) { retryDeadDeliveries(channel: $channel) }\n": types.RetryDeadDeliveriesDocument,
    "\n  mutation SendTestNotification($channel: NotificationChannel!, $userId: ID!) {\n    sendTestNotification(channel: $channel, userId: $userId)\n  }\n": types.SendTestNotificationDocument,
    "\n  query Robots {\n    robots { id name keyHint templateCode departmentId active }\n  }\n": types.RobotsDocument,
    "\n  mutation CreateRobot($input: CreateRobotInput!) {\n    createRobot(input: $input) { id name keyHint templateCode departmentId active }\n  }\n": types.CreateRobotDocument,
    "\n  mutation DeleteRobot($id: ID!) { deleteRobot(id: $id) }\n": types.DeleteRobotDocument,
    "\n  query ChannelSettings {\n    channelSettings {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n": types.ChannelSettingsDocument,
    "\n  mutation UpdateChannelSettings($input: ChannelSettingsInput!) {\n    updateChannelSettings(input: $input) {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n": types.UpdateChannelSettingsDocument,
    "\n  query Jobs($status: JobStatus, $kind: String, $before: ID, $first: Int! = 30) {\n    jobs(status: $status, kind: $kind, before: $before, first: $first) {\n      ...JobFields\n      ticket { id number title status }\n    }\n  }\n": types.JobsDocument,
    "\n  mutation RetryJob($jobId: ID!) {\n    retryJob(jobId: $jobId) { ...JobFields }\n  }\n": types.RetryJobDocument,
    "\n  mutation SkipJob($jobId: ID!) {\n    skipJob(jobId: $jobId) { ...JobFields }\n  }\n": types.SkipJobDocument,
    "\n  mutation RejectProcessing($ticketId: ID!, $reason: String!) {\n    rejectProcessing(ticketId: $ticketId, reason: $reason) { ...TicketPayloadFields }\n  }\n": types.RejectProcessingDocument,
    "\n  query WebhookSigningSecret {\n    webhookSigningSecret\n  }\n": types.WebhookSigningSecretDocument,
    "\n  query Me {\n    me { id username displayName roles department { id name } }\n  }\n": types.MeDocument,
    "\n  query Templates($includeInactive: Boolean! = false) {\n    templates(first: 100, includeInactive: $includeInactive) {\n      nodes { id code name category description active currentVersion updatedAt }\n    }\n  }\n": types.TemplatesDocument,
    "\n  query Template($code: String!) {\n    template(code: $code) {\n      id code name category description active currentVersion\n      current {\n        version formSchema chain automations createdAt\n        fields { key label type required options min max help }\n      }\n      versions { version createdAt }\n    }\n  }\n": types.TemplateDocument,
    "\n  query TemplateVersions($code: String!) {\n    template(code: $code) {\n      id code currentVersion\n      versions { version createdAt formSchema chain }\n    }\n  }\n": types.TemplateVersionsDocument,
    "\n  query Users($search: String, $departmentId: ID, $includeInactive: Boolean! = false, $first: Int = 20, $after: String) {\n    users(search: $search, departmentId: $departmentId, includeInactive: $includeInactive, first: $first, after: $after) {\n      nodes {\n        id username displayName email phone wecomUserId active roles\n        department { id name }\n        manager { id displayName }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.UsersDocument,
    "\n  query User($id: ID!) {\n    user(id: $id) { id username displayName department { id name } }\n  }\n": types.UserDocument,
    "\n  query Departments($includeInactive: Boolean! = false) {\n    departments(first: 100, includeInactive: $includeInactive) {\n      nodes { id name active parent { id } head { id displayName username } }\n    }\n  }\n": types.DepartmentsDocument,
    "\n  query Roles {\n    roles { id code name system }\n  }\n": types.RolesDocument,
    "\n  fragment TicketListFields on Ticket {\n    id number title status result templateCode createdAt updatedAt\n    template { id name }\n  }\n": types.TicketListFieldsFragmentDoc,
    "\n  query MyTickets(\n    $status: TicketStatus, $result: TicketResult, $templateCode: String,\n    $createdFrom: DateTime, $createdTo: DateTime, $search: String,\n    $first: Int = 20, $after: String\n  ) {\n    # newest first; Next pages follow endCursor towards older tickets\n    myTickets(\n      status: $status, result: $result, templateCode: $templateCode,\n      createdFrom: $createdFrom, createdTo: $createdTo, search: $search,\n      order: NEWEST_FIRST, first: $first, after: $after\n    ) {\n      nodes { ...TicketListFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MyTicketsDocument,
    "\n  fragment ItemFields on ApprovalItem {\n    id round stepName kind status reason dueAt overdue createdAt decidedAt\n    assignee { id displayName username }\n    onBehalfOf { id displayName username }\n    decidedBy { id displayName username }\n  }\n": types.ItemFieldsFragmentDoc,
    "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id number title status result round templateCode templateVersion form\n      createdAt updatedAt doneAt lastUrgedAt\n      template { id name code current { version } }\n      applicant { id displayName username }\n      department { id name }\n      steps { position name kind mode phase dueAt items { ...ItemFields } }\n      items { ...ItemFields }\n      myPendingItems { ...ItemFields }\n      timeline {\n        id kind payload createdAt statusBefore statusAfter\n        actor { id displayName username }\n        onBehalfOf { id displayName username }\n      }\n      jobs { ...JobFields }\n      rating { score comment ratedAt }\n    }\n  }\n": types.TicketDocument,
    "\n  fragment JobFields on Job {\n    id seq name executor kind status attempts maxAttempts timeoutSeconds\n    output lastError leaseExpiresAt availableAt startedAt finishedAt createdAt\n  }\n": types.JobFieldsFragmentDoc,
    "\n  query TicketForm($id: ID!) {\n    ticket(id: $id) {\n      id number title status form templateCode templateVersion\n      applicant { id }\n      template {\n        id code name\n        versions { version fields { key label type required options min max help } }\n      }\n    }\n  }\n": types.TicketFormDocument,
    "\n  query Inbox($first: Int = 30, $after: String) {\n    inbox(first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket {\n          id number title status templateCode createdAt\n          template { id name }\n          applicant { id displayName }\n          department { id name }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    inboxCounts { pending overdue }\n  }\n": types.InboxDocument,
    "\n  query HandledItems($first: Int = 20, $after: String) {\n    handledItems(order: NEWEST_FIRST, first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket { id number title status result templateCode }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.HandledItemsDocument,
    "\n  query InboxCounts {\n    inboxCounts { pending overdue }\n  }\n": types.InboxCountsDocument,
    "\n  fragment TicketPayloadFields on TicketPayload {\n    replayed clientMutationId\n    ticket { id number status result round updatedAt }\n  }\n": types.TicketPayloadFieldsFragmentDoc,
    "\n  mutation SubmitTicket($input: SubmitTicketInput!) {\n    submitTicket(input: $input) { ...TicketPayloadFields }\n  }\n": types.SubmitTicketDocument,
    "\n  mutation ResubmitTicket($input: ResubmitTicketInput!) {\n    resubmitTicket(input: $input) { ...TicketPayloadFields }\n  }\n": types.ResubmitTicketDocument,
    "\n  mutation Approve($itemId: ID!, $comment: String, $clientMutationId: String) {\n    approve(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.ApproveDocument,
    "\n  mutation Confirm($itemId: ID!, $comment: String, $clientMutationId: String) {\n    confirm(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.ConfirmDocument,
    "\n  mutation ReturnTicket($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    returnTicket(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.ReturnTicketDocument,
    "\n  mutation Reject($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    reject(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.RejectDocument,
    "\n  mutation Transfer($itemId: ID!, $toUserId: ID!, $comment: String, $clientMutationId: String) {\n    transfer(itemId: $itemId, toUserId: $toUserId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.TransferDocument,
    "\n  mutation AddApprover($itemId: ID!, $userId: ID!, $comment: String, $clientMutationId: String) {\n    addApprover(itemId: $itemId, userId: $userId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.AddApproverDocument,
    "\n  mutation Withdraw($ticketId: ID!, $reason: String, $clientMutationId: String) {\n    withdrawTicket(ticketId: $ticketId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.WithdrawDocument,
    "\n  mutation Comment($ticketId: ID!, $body: String!, $clientMutationId: String) {\n    commentOnTicket(ticketId: $ticketId, body: $body, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n": types.CommentDocument,
    "\n  mutation RateTicket($ticketId: ID!, $score: Int!, $comment: String, $clientMutationId: String) {\n    rateTicket(ticketId: $ticketId, score: $score, comment: $comment, clientMutationId: $clientMutationId) {\n      ...TicketPayloadFields\n    }\n  }\n": types.RateTicketDocument,
    "\n  mutation Urge($ticketId: ID!) {\n    urgeTicket(ticketId: $ticketId) { ...TicketPayloadFields }\n  }\n": types.UrgeDocument,
    "\n  query TemplateFields($code: String!) {\n    template(code: $code) {\n      id code\n      versions { version fields { key label type required options min max help } }\n    }\n  }\n": types.TemplateFieldsDocument,
    "\n  query NotificationSettings {\n    notificationSettings { language muted }\n  }\n": types.NotificationSettingsDocument,
    "\n  mutation UpdateNotificationSettings($language: String!, $muted: [String!]!) {\n    updateNotificationSettings(language: $language, muted: $muted) { language muted }\n  }\n": types.UpdateNotificationSettingsDocument,
    "\n  fragment ReportFiguresFields on ReportFigures {\n    filed completed approved rejected withdrawn open\n    cycle { count meanSeconds medianSeconds p90Seconds }\n    response { count meanSeconds medianSeconds p90Seconds }\n    slaItems slaBreached slaBreachRate\n    jobsSucceeded jobsFailed automationSuccessRate\n    jobDuration { count meanSeconds medianSeconds p90Seconds }\n    ratings ratingAverage ratingDistribution\n    backlog { bucket count }\n  }\n": types.ReportFiguresFieldsFragmentDoc,
    "\n  query Report($from: String, $to: String, $timeZone: String, $templateCode: String, $departmentId: ID, $groupBy: ReportGroupBy) {\n    report(from: $from, to: $to, timeZone: $timeZone, templateCode: $templateCode, departmentId: $departmentId, groupBy: $groupBy) {\n      from to timeZone groupBy\n      totals { ...ReportFiguresFields }\n      groups { key label figures { ...ReportFiguresFields } }\n      steps { step wait { count meanSeconds medianSeconds p90Seconds } }\n      approvers { userId name response { count meanSeconds medianSeconds p90Seconds } }\n    }\n  }\n": types.ReportDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id username displayName active roles department { id name } }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { id username displayName active roles department { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      id username displayName email phone wecomUserId active roles department { id name } manager { id displayName }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($input: UpdateUserInput!) {\n    updateUser(input: $input) {\n      id username displayName email phone wecomUserId active roles department { id name } manager { id displayName }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateUser($id: ID!) { deactivateUser(id: $id) { id active } }\n"): (typeof documents)["\n  mutation DeactivateUser($id: ID!) { deactivateUser(id: $id) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateUser($id: ID!) { reactivateUser(id: $id) { id active } }\n"): (typeof documents)["\n  mutation ReactivateUser($id: ID!) { reactivateUser(id: $id) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDepartment($input: CreateDepartmentInput!) {\n    createDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n"): (typeof documents)["\n  mutation CreateDepartment($input: CreateDepartmentInput!) {\n    createDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateDepartment($input: UpdateDepartmentInput!) {\n    updateDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n"): (typeof documents)["\n  mutation UpdateDepartment($input: UpdateDepartmentInput!) {\n    updateDepartment(input: $input) { id name active parent { id } head { id displayName username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateDepartment($id: ID!) { deactivateDepartment(id: $id) { id active } }\n"): (typeof documents)["\n  mutation DeactivateDepartment($id: ID!) { deactivateDepartment(id: $id) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateDepartment($id: ID!) { reactivateDepartment(id: $id) { id active } }\n"): (typeof documents)["\n  mutation ReactivateDepartment($id: ID!) { reactivateDepartment(id: $id) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRole($code: String!, $name: String!) { createRole(code: $code, name: $name) { id code name system } }\n"): (typeof documents)["\n  mutation CreateRole($code: String!, $name: String!) { createRole(code: $code, name: $name) { id code name system } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameRole($id: ID!, $name: String!) { renameRole(id: $id, name: $name) { id code name system } }\n"): (typeof documents)["\n  mutation RenameRole($id: ID!, $name: String!) { renameRole(id: $id, name: $name) { id code name system } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Proxies($currentOnly: Boolean! = false) {\n    proxies(first: 100, currentOnly: $currentOnly) {\n      nodes {\n        id templateCode startsAt endsAt revokedAt active\n        principal { id displayName username }\n        proxy { id displayName username }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Proxies($currentOnly: Boolean! = false) {\n    proxies(first: 100, currentOnly: $currentOnly) {\n      nodes {\n        id templateCode startsAt endsAt revokedAt active\n        principal { id displayName username }\n        proxy { id displayName username }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProxy($input: CreateProxyInput!) { createProxy(input: $input) { id active } }\n"): (typeof documents)["\n  mutation CreateProxy($input: CreateProxyInput!) { createProxy(input: $input) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeProxy($id: ID!) { revokeProxy(id: $id) { id active revokedAt } }\n"): (typeof documents)["\n  mutation RevokeProxy($id: ID!) { revokeProxy(id: $id) { id active revokedAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens { id name prefix createdAt lastUsedAt revokedAt user { id displayName username } }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    apiTokens { id name prefix createdAt lastUsedAt revokedAt user { id displayName username } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($userId: ID!, $name: String!) {\n    createApiToken(userId: $userId, name: $name) { secret token { id name prefix createdAt } }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($userId: ID!, $name: String!) {\n    createApiToken(userId: $userId, name: $name) { secret token { id name prefix createdAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTemplate($input: TemplateInput!) {\n    createTemplate(input: $input) { id code name category active currentVersion }\n  }\n"): (typeof documents)["\n  mutation CreateTemplate($input: TemplateInput!) {\n    createTemplate(input: $input) { id code name category active currentVersion }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTemplate($input: TemplateInput!) {\n    updateTemplate(input: $input) { id code name category active currentVersion }\n  }\n"): (typeof documents)["\n  mutation UpdateTemplate($input: TemplateInput!) {\n    updateTemplate(input: $input) { id code name category active currentVersion }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateTemplate($code: String!) { deactivateTemplate(code: $code) { id active } }\n"): (typeof documents)["\n  mutation DeactivateTemplate($code: String!) { deactivateTemplate(code: $code) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateTemplate($code: String!) { reactivateTemplate(code: $code) { id active } }\n"): (typeof documents)["\n  mutation ReactivateTemplate($code: String!) { reactivateTemplate(code: $code) { id active } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Deliveries($status: DeliveryStatus, $channel: NotificationChannel, $ticketId: ID, $recipientId: ID, $first: Int, $beforeId: ID) {\n    deliveries(status: $status, channel: $channel, ticketId: $ticketId, recipientId: $recipientId, first: $first, beforeId: $beforeId) {\n      id eventId ticketId recipientId channel kind status attempts nextAttemptAt lastError providerId createdAt sentAt\n    }\n  }\n"): (typeof documents)["\n  query Deliveries($status: DeliveryStatus, $channel: NotificationChannel, $ticketId: ID, $recipientId: ID, $first: Int, $beforeId: ID) {\n    deliveries(status: $status, channel: $channel, ticketId: $ticketId, recipientId: $recipientId, first: $first, beforeId: $beforeId) {\n      id eventId ticketId recipientId channel kind status attempts nextAttemptAt lastError providerId createdAt sentAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) }\n"): (typeof documents)["\n  mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryDeadDeliveries($channel: NotificationChannel) { retryDeadDeliveries(channel: $channel) }\n"): (typeof documents)["\n  mutation RetryDeadDeliveries($channel: NotificationChannel) { retryDeadDeliveries(channel: $channel) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestNotification($channel: NotificationChannel!, $userId: ID!) {\n    sendTestNotification(channel: $channel, userId: $userId)\n  }\n"): (typeof documents)["\n  mutation SendTestNotification($channel: NotificationChannel!, $userId: ID!) {\n    sendTestNotification(channel: $channel, userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Robots {\n    robots { id name keyHint templateCode departmentId active }\n  }\n"): (typeof documents)["\n  query Robots {\n    robots { id name keyHint templateCode departmentId active }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRobot($input: CreateRobotInput!) {\n    createRobot(input: $input) { id name keyHint templateCode departmentId active }\n  }\n"): (typeof documents)["\n  mutation CreateRobot($input: CreateRobotInput!) {\n    createRobot(input: $input) { id name keyHint templateCode departmentId active }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRobot($id: ID!) { deleteRobot(id: $id) }\n"): (typeof documents)["\n  mutation DeleteRobot($id: ID!) { deleteRobot(id: $id) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChannelSettings {\n    channelSettings {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n"): (typeof documents)["\n  query ChannelSettings {\n    channelSettings {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateChannelSettings($input: ChannelSettingsInput!) {\n    updateChannelSettings(input: $input) {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateChannelSettings($input: ChannelSettingsInput!) {\n    updateChannelSettings(input: $input) {\n      mail { configured smtpUrl mailFrom }\n      wecom { configured callbackConfigured corpId agentId secretSet tokenSet aesKeySet callbackUrl }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($status: JobStatus, $kind: String, $before: ID, $first: Int! = 30) {\n    jobs(status: $status, kind: $kind, before: $before, first: $first) {\n      ...JobFields\n      ticket { id number title status }\n    }\n  }\n"): (typeof documents)["\n  query Jobs($status: JobStatus, $kind: String, $before: ID, $first: Int! = 30) {\n    jobs(status: $status, kind: $kind, before: $before, first: $first) {\n      ...JobFields\n      ticket { id number title status }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryJob($jobId: ID!) {\n    retryJob(jobId: $jobId) { ...JobFields }\n  }\n"): (typeof documents)["\n  mutation RetryJob($jobId: ID!) {\n    retryJob(jobId: $jobId) { ...JobFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SkipJob($jobId: ID!) {\n    skipJob(jobId: $jobId) { ...JobFields }\n  }\n"): (typeof documents)["\n  mutation SkipJob($jobId: ID!) {\n    skipJob(jobId: $jobId) { ...JobFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectProcessing($ticketId: ID!, $reason: String!) {\n    rejectProcessing(ticketId: $ticketId, reason: $reason) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation RejectProcessing($ticketId: ID!, $reason: String!) {\n    rejectProcessing(ticketId: $ticketId, reason: $reason) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookSigningSecret {\n    webhookSigningSecret\n  }\n"): (typeof documents)["\n  query WebhookSigningSecret {\n    webhookSigningSecret\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id username displayName roles department { id name } }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id username displayName roles department { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Templates($includeInactive: Boolean! = false) {\n    templates(first: 100, includeInactive: $includeInactive) {\n      nodes { id code name category description active currentVersion updatedAt }\n    }\n  }\n"): (typeof documents)["\n  query Templates($includeInactive: Boolean! = false) {\n    templates(first: 100, includeInactive: $includeInactive) {\n      nodes { id code name category description active currentVersion updatedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Template($code: String!) {\n    template(code: $code) {\n      id code name category description active currentVersion\n      current {\n        version formSchema chain automations createdAt\n        fields { key label type required options min max help }\n      }\n      versions { version createdAt }\n    }\n  }\n"): (typeof documents)["\n  query Template($code: String!) {\n    template(code: $code) {\n      id code name category description active currentVersion\n      current {\n        version formSchema chain automations createdAt\n        fields { key label type required options min max help }\n      }\n      versions { version createdAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TemplateVersions($code: String!) {\n    template(code: $code) {\n      id code currentVersion\n      versions { version createdAt formSchema chain }\n    }\n  }\n"): (typeof documents)["\n  query TemplateVersions($code: String!) {\n    template(code: $code) {\n      id code currentVersion\n      versions { version createdAt formSchema chain }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($search: String, $departmentId: ID, $includeInactive: Boolean! = false, $first: Int = 20, $after: String) {\n    users(search: $search, departmentId: $departmentId, includeInactive: $includeInactive, first: $first, after: $after) {\n      nodes {\n        id username displayName email phone wecomUserId active roles\n        department { id name }\n        manager { id displayName }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Users($search: String, $departmentId: ID, $includeInactive: Boolean! = false, $first: Int = 20, $after: String) {\n    users(search: $search, departmentId: $departmentId, includeInactive: $includeInactive, first: $first, after: $after) {\n      nodes {\n        id username displayName email phone wecomUserId active roles\n        department { id name }\n        manager { id displayName }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query User($id: ID!) {\n    user(id: $id) { id username displayName department { id name } }\n  }\n"): (typeof documents)["\n  query User($id: ID!) {\n    user(id: $id) { id username displayName department { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Departments($includeInactive: Boolean! = false) {\n    departments(first: 100, includeInactive: $includeInactive) {\n      nodes { id name active parent { id } head { id displayName username } }\n    }\n  }\n"): (typeof documents)["\n  query Departments($includeInactive: Boolean! = false) {\n    departments(first: 100, includeInactive: $includeInactive) {\n      nodes { id name active parent { id } head { id displayName username } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Roles {\n    roles { id code name system }\n  }\n"): (typeof documents)["\n  query Roles {\n    roles { id code name system }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TicketListFields on Ticket {\n    id number title status result templateCode createdAt updatedAt\n    template { id name }\n  }\n"): (typeof documents)["\n  fragment TicketListFields on Ticket {\n    id number title status result templateCode createdAt updatedAt\n    template { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyTickets(\n    $status: TicketStatus, $result: TicketResult, $templateCode: String,\n    $createdFrom: DateTime, $createdTo: DateTime, $search: String,\n    $first: Int = 20, $after: String\n  ) {\n    # newest first; Next pages follow endCursor towards older tickets\n    myTickets(\n      status: $status, result: $result, templateCode: $templateCode,\n      createdFrom: $createdFrom, createdTo: $createdTo, search: $search,\n      order: NEWEST_FIRST, first: $first, after: $after\n    ) {\n      nodes { ...TicketListFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query MyTickets(\n    $status: TicketStatus, $result: TicketResult, $templateCode: String,\n    $createdFrom: DateTime, $createdTo: DateTime, $search: String,\n    $first: Int = 20, $after: String\n  ) {\n    # newest first; Next pages follow endCursor towards older tickets\n    myTickets(\n      status: $status, result: $result, templateCode: $templateCode,\n      createdFrom: $createdFrom, createdTo: $createdTo, search: $search,\n      order: NEWEST_FIRST, first: $first, after: $after\n    ) {\n      nodes { ...TicketListFields }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ItemFields on ApprovalItem {\n    id round stepName kind status reason dueAt overdue createdAt decidedAt\n    assignee { id displayName username }\n    onBehalfOf { id displayName username }\n    decidedBy { id displayName username }\n  }\n"): (typeof documents)["\n  fragment ItemFields on ApprovalItem {\n    id round stepName kind status reason dueAt overdue createdAt decidedAt\n    assignee { id displayName username }\n    onBehalfOf { id displayName username }\n    decidedBy { id displayName username }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id number title status result round templateCode templateVersion form\n      createdAt updatedAt doneAt lastUrgedAt\n      template { id name code current { version } }\n      applicant { id displayName username }\n      department { id name }\n      steps { position name kind mode phase dueAt items { ...ItemFields } }\n      items { ...ItemFields }\n      myPendingItems { ...ItemFields }\n      timeline {\n        id kind payload createdAt statusBefore statusAfter\n        actor { id displayName username }\n        onBehalfOf { id displayName username }\n      }\n      jobs { ...JobFields }\n      rating { score comment ratedAt }\n    }\n  }\n"): (typeof documents)["\n  query Ticket($id: ID!) {\n    ticket(id: $id) {\n      id number title status result round templateCode templateVersion form\n      createdAt updatedAt doneAt lastUrgedAt\n      template { id name code current { version } }\n      applicant { id displayName username }\n      department { id name }\n      steps { position name kind mode phase dueAt items { ...ItemFields } }\n      items { ...ItemFields }\n      myPendingItems { ...ItemFields }\n      timeline {\n        id kind payload createdAt statusBefore statusAfter\n        actor { id displayName username }\n        onBehalfOf { id displayName username }\n      }\n      jobs { ...JobFields }\n      rating { score comment ratedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    id seq name executor kind status attempts maxAttempts timeoutSeconds\n    output lastError leaseExpiresAt availableAt startedAt finishedAt createdAt\n  }\n"): (typeof documents)["\n  fragment JobFields on Job {\n    id seq name executor kind status attempts maxAttempts timeoutSeconds\n    output lastError leaseExpiresAt availableAt startedAt finishedAt createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TicketForm($id: ID!) {\n    ticket(id: $id) {\n      id number title status form templateCode templateVersion\n      applicant { id }\n      template {\n        id code name\n        versions { version fields { key label type required options min max help } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TicketForm($id: ID!) {\n    ticket(id: $id) {\n      id number title status form templateCode templateVersion\n      applicant { id }\n      template {\n        id code name\n        versions { version fields { key label type required options min max help } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($first: Int = 30, $after: String) {\n    inbox(first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket {\n          id number title status templateCode createdAt\n          template { id name }\n          applicant { id displayName }\n          department { id name }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    inboxCounts { pending overdue }\n  }\n"): (typeof documents)["\n  query Inbox($first: Int = 30, $after: String) {\n    inbox(first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket {\n          id number title status templateCode createdAt\n          template { id name }\n          applicant { id displayName }\n          department { id name }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n    inboxCounts { pending overdue }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HandledItems($first: Int = 20, $after: String) {\n    handledItems(order: NEWEST_FIRST, first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket { id number title status result templateCode }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query HandledItems($first: Int = 20, $after: String) {\n    handledItems(order: NEWEST_FIRST, first: $first, after: $after) {\n      nodes {\n        ...ItemFields\n        ticket { id number title status result templateCode }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxCounts {\n    inboxCounts { pending overdue }\n  }\n"): (typeof documents)["\n  query InboxCounts {\n    inboxCounts { pending overdue }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TicketPayloadFields on TicketPayload {\n    replayed clientMutationId\n    ticket { id number status result round updatedAt }\n  }\n"): (typeof documents)["\n  fragment TicketPayloadFields on TicketPayload {\n    replayed clientMutationId\n    ticket { id number status result round updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitTicket($input: SubmitTicketInput!) {\n    submitTicket(input: $input) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation SubmitTicket($input: SubmitTicketInput!) {\n    submitTicket(input: $input) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResubmitTicket($input: ResubmitTicketInput!) {\n    resubmitTicket(input: $input) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation ResubmitTicket($input: ResubmitTicketInput!) {\n    resubmitTicket(input: $input) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Approve($itemId: ID!, $comment: String, $clientMutationId: String) {\n    approve(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Approve($itemId: ID!, $comment: String, $clientMutationId: String) {\n    approve(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Confirm($itemId: ID!, $comment: String, $clientMutationId: String) {\n    confirm(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Confirm($itemId: ID!, $comment: String, $clientMutationId: String) {\n    confirm(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReturnTicket($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    returnTicket(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation ReturnTicket($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    returnTicket(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reject($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    reject(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Reject($itemId: ID!, $reason: String!, $clientMutationId: String) {\n    reject(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Transfer($itemId: ID!, $toUserId: ID!, $comment: String, $clientMutationId: String) {\n    transfer(itemId: $itemId, toUserId: $toUserId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Transfer($itemId: ID!, $toUserId: ID!, $comment: String, $clientMutationId: String) {\n    transfer(itemId: $itemId, toUserId: $toUserId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddApprover($itemId: ID!, $userId: ID!, $comment: String, $clientMutationId: String) {\n    addApprover(itemId: $itemId, userId: $userId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation AddApprover($itemId: ID!, $userId: ID!, $comment: String, $clientMutationId: String) {\n    addApprover(itemId: $itemId, userId: $userId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Withdraw($ticketId: ID!, $reason: String, $clientMutationId: String) {\n    withdrawTicket(ticketId: $ticketId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Withdraw($ticketId: ID!, $reason: String, $clientMutationId: String) {\n    withdrawTicket(ticketId: $ticketId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Comment($ticketId: ID!, $body: String!, $clientMutationId: String) {\n    commentOnTicket(ticketId: $ticketId, body: $body, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Comment($ticketId: ID!, $body: String!, $clientMutationId: String) {\n    commentOnTicket(ticketId: $ticketId, body: $body, clientMutationId: $clientMutationId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateTicket($ticketId: ID!, $score: Int!, $comment: String, $clientMutationId: String) {\n    rateTicket(ticketId: $ticketId, score: $score, comment: $comment, clientMutationId: $clientMutationId) {\n      ...TicketPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation RateTicket($ticketId: ID!, $score: Int!, $comment: String, $clientMutationId: String) {\n    rateTicket(ticketId: $ticketId, score: $score, comment: $comment, clientMutationId: $clientMutationId) {\n      ...TicketPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Urge($ticketId: ID!) {\n    urgeTicket(ticketId: $ticketId) { ...TicketPayloadFields }\n  }\n"): (typeof documents)["\n  mutation Urge($ticketId: ID!) {\n    urgeTicket(ticketId: $ticketId) { ...TicketPayloadFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TemplateFields($code: String!) {\n    template(code: $code) {\n      id code\n      versions { version fields { key label type required options min max help } }\n    }\n  }\n"): (typeof documents)["\n  query TemplateFields($code: String!) {\n    template(code: $code) {\n      id code\n      versions { version fields { key label type required options min max help } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationSettings {\n    notificationSettings { language muted }\n  }\n"): (typeof documents)["\n  query NotificationSettings {\n    notificationSettings { language muted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNotificationSettings($language: String!, $muted: [String!]!) {\n    updateNotificationSettings(language: $language, muted: $muted) { language muted }\n  }\n"): (typeof documents)["\n  mutation UpdateNotificationSettings($language: String!, $muted: [String!]!) {\n    updateNotificationSettings(language: $language, muted: $muted) { language muted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReportFiguresFields on ReportFigures {\n    filed completed approved rejected withdrawn open\n    cycle { count meanSeconds medianSeconds p90Seconds }\n    response { count meanSeconds medianSeconds p90Seconds }\n    slaItems slaBreached slaBreachRate\n    jobsSucceeded jobsFailed automationSuccessRate\n    jobDuration { count meanSeconds medianSeconds p90Seconds }\n    ratings ratingAverage ratingDistribution\n    backlog { bucket count }\n  }\n"): (typeof documents)["\n  fragment ReportFiguresFields on ReportFigures {\n    filed completed approved rejected withdrawn open\n    cycle { count meanSeconds medianSeconds p90Seconds }\n    response { count meanSeconds medianSeconds p90Seconds }\n    slaItems slaBreached slaBreachRate\n    jobsSucceeded jobsFailed automationSuccessRate\n    jobDuration { count meanSeconds medianSeconds p90Seconds }\n    ratings ratingAverage ratingDistribution\n    backlog { bucket count }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Report($from: String, $to: String, $timeZone: String, $templateCode: String, $departmentId: ID, $groupBy: ReportGroupBy) {\n    report(from: $from, to: $to, timeZone: $timeZone, templateCode: $templateCode, departmentId: $departmentId, groupBy: $groupBy) {\n      from to timeZone groupBy\n      totals { ...ReportFiguresFields }\n      groups { key label figures { ...ReportFiguresFields } }\n      steps { step wait { count meanSeconds medianSeconds p90Seconds } }\n      approvers { userId name response { count meanSeconds medianSeconds p90Seconds } }\n    }\n  }\n"): (typeof documents)["\n  query Report($from: String, $to: String, $timeZone: String, $templateCode: String, $departmentId: ID, $groupBy: ReportGroupBy) {\n    report(from: $from, to: $to, timeZone: $timeZone, templateCode: $templateCode, departmentId: $departmentId, groupBy: $groupBy) {\n      from to timeZone groupBy\n      totals { ...ReportFiguresFields }\n      groups { key label figures { ...ReportFiguresFields } }\n      steps { step wait { count meanSeconds medianSeconds p90Seconds } }\n      approvers { userId name response { count meanSeconds medianSeconds p90Seconds } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;