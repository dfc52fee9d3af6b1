import { graphql } from '../gql';

export const MeQuery = graphql(`
  query Me {
    me { id username displayName roles department { id name } }
  }
`);

export const TemplatesQuery = graphql(`
  query Templates($includeInactive: Boolean! = false) {
    templates(first: 100, includeInactive: $includeInactive) {
      nodes { id code name category description active currentVersion updatedAt }
    }
  }
`);

export const TemplateQuery = graphql(`
  query Template($code: String!) {
    template(code: $code) {
      id code name category description active currentVersion
      current {
        version formSchema chain automations createdAt
        fields { key label type required options min max help }
      }
      versions { version createdAt }
    }
  }
`);

export const TemplateVersionsQuery = graphql(`
  query TemplateVersions($code: String!) {
    template(code: $code) {
      id code currentVersion
      versions { version createdAt formSchema chain }
    }
  }
`);

export const UsersQuery = graphql(`
  query Users($search: String, $departmentId: ID, $includeInactive: Boolean! = false, $first: Int = 20, $after: String) {
    users(search: $search, departmentId: $departmentId, includeInactive: $includeInactive, first: $first, after: $after) {
      nodes {
        id username displayName email phone wecomUserId active roles
        department { id name }
        manager { id displayName }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const UserQuery = graphql(`
  query User($id: ID!) {
    user(id: $id) { id username displayName department { id name } }
  }
`);

export const DepartmentsQuery = graphql(`
  query Departments($includeInactive: Boolean! = false) {
    departments(first: 100, includeInactive: $includeInactive) {
      nodes { id name active parent { id } head { id displayName username } }
    }
  }
`);

export const RolesQuery = graphql(`
  query Roles {
    roles { id code name system }
  }
`);

export const TicketListFields = graphql(`
  fragment TicketListFields on Ticket {
    id number title status result templateCode createdAt updatedAt
    template { id name }
  }
`);

export const MyTicketsQuery = graphql(`
  query MyTickets(
    $status: TicketStatus, $result: TicketResult, $templateCode: String,
    $createdFrom: DateTime, $createdTo: DateTime, $search: String,
    $first: Int = 20, $after: String
  ) {
    # newest first; Next pages follow endCursor towards older tickets
    myTickets(
      status: $status, result: $result, templateCode: $templateCode,
      createdFrom: $createdFrom, createdTo: $createdTo, search: $search,
      order: NEWEST_FIRST, first: $first, after: $after
    ) {
      nodes { ...TicketListFields }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const ItemFields = graphql(`
  fragment ItemFields on ApprovalItem {
    id round stepName kind status reason dueAt overdue createdAt decidedAt
    assignee { id displayName username }
    onBehalfOf { id displayName username }
    decidedBy { id displayName username }
  }
`);

export const TicketQuery = graphql(`
  query Ticket($id: ID!) {
    ticket(id: $id) {
      id number title status result round templateCode templateVersion form
      createdAt updatedAt doneAt lastUrgedAt
      template { id name code current { version } }
      applicant { id displayName username }
      department { id name }
      steps { position name kind mode phase dueAt items { ...ItemFields } }
      items { ...ItemFields }
      myPendingItems { ...ItemFields }
      timeline {
        id kind payload createdAt statusBefore statusAfter
        actor { id displayName username }
        onBehalfOf { id displayName username }
      }
      jobs { ...JobFields }
      rating { score comment ratedAt }
    }
  }
`);

// A ticket's automation job (自动化任务), as the ticket page and the
// administrators' job list show it.
export const JobFields = graphql(`
  fragment JobFields on Job {
    id seq name executor kind status attempts maxAttempts timeoutSeconds
    output lastError leaseExpiresAt availableAt startedAt finishedAt createdAt
  }
`);

export const TicketFormQuery = graphql(`
  query TicketForm($id: ID!) {
    ticket(id: $id) {
      id number title status form templateCode templateVersion
      applicant { id }
      template {
        id code name
        versions { version fields { key label type required options min max help } }
      }
    }
  }
`);

export const InboxQuery = graphql(`
  query Inbox($first: Int = 30, $after: String) {
    inbox(first: $first, after: $after) {
      nodes {
        ...ItemFields
        ticket {
          id number title status templateCode createdAt
          template { id name }
          applicant { id displayName }
          department { id name }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
    inboxCounts { pending overdue }
  }
`);

// The items the viewer decided (已处理), themselves or through a proxy, the
// most recent first. 20 with the ticket summary stays well inside the
// server's complexity limit (50 does not).
export const HandledItemsQuery = graphql(`
  query HandledItems($first: Int = 20, $after: String) {
    handledItems(order: NEWEST_FIRST, first: $first, after: $after) {
      nodes {
        ...ItemFields
        ticket { id number title status result templateCode }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const InboxCountsQuery = graphql(`
  query InboxCounts {
    inboxCounts { pending overdue }
  }
`);

export const TicketPayloadFields = graphql(`
  fragment TicketPayloadFields on TicketPayload {
    replayed clientMutationId
    ticket { id number status result round updatedAt }
  }
`);

export const SubmitTicketMutation = graphql(`
  mutation SubmitTicket($input: SubmitTicketInput!) {
    submitTicket(input: $input) { ...TicketPayloadFields }
  }
`);

export const ResubmitTicketMutation = graphql(`
  mutation ResubmitTicket($input: ResubmitTicketInput!) {
    resubmitTicket(input: $input) { ...TicketPayloadFields }
  }
`);

export const ApproveMutation = graphql(`
  mutation Approve($itemId: ID!, $comment: String, $clientMutationId: String) {
    approve(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const ConfirmMutation = graphql(`
  mutation Confirm($itemId: ID!, $comment: String, $clientMutationId: String) {
    confirm(itemId: $itemId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const ReturnMutation = graphql(`
  mutation ReturnTicket($itemId: ID!, $reason: String!, $clientMutationId: String) {
    returnTicket(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const RejectMutation = graphql(`
  mutation Reject($itemId: ID!, $reason: String!, $clientMutationId: String) {
    reject(itemId: $itemId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const TransferMutation = graphql(`
  mutation Transfer($itemId: ID!, $toUserId: ID!, $comment: String, $clientMutationId: String) {
    transfer(itemId: $itemId, toUserId: $toUserId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const AddApproverMutation = graphql(`
  mutation AddApprover($itemId: ID!, $userId: ID!, $comment: String, $clientMutationId: String) {
    addApprover(itemId: $itemId, userId: $userId, comment: $comment, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const WithdrawMutation = graphql(`
  mutation Withdraw($ticketId: ID!, $reason: String, $clientMutationId: String) {
    withdrawTicket(ticketId: $ticketId, reason: $reason, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const CommentMutation = graphql(`
  mutation Comment($ticketId: ID!, $body: String!, $clientMutationId: String) {
    commentOnTicket(ticketId: $ticketId, body: $body, clientMutationId: $clientMutationId) { ...TicketPayloadFields }
  }
`);

export const RateTicketMutation = graphql(`
  mutation RateTicket($ticketId: ID!, $score: Int!, $comment: String, $clientMutationId: String) {
    rateTicket(ticketId: $ticketId, score: $score, comment: $comment, clientMutationId: $clientMutationId) {
      ...TicketPayloadFields
    }
  }
`);

export const UrgeMutation = graphql(`
  mutation Urge($ticketId: ID!) {
    urgeTicket(ticketId: $ticketId) { ...TicketPayloadFields }
  }
`);

export const TemplateFieldsQuery = graphql(`
  query TemplateFields($code: String!) {
    template(code: $code) {
      id code
      versions { version fields { key label type required options min max help } }
    }
  }
`);

export const NotificationSettingsQuery = graphql(`
  query NotificationSettings {
    notificationSettings { language muted }
  }
`);

export const UpdateNotificationSettingsMutation = graphql(`
  mutation UpdateNotificationSettings($language: String!, $muted: [String!]!) {
    updateNotificationSettings(language: $language, muted: $muted) { language muted }
  }
`);

export const ReportFiguresFields = graphql(`
  fragment ReportFiguresFields on ReportFigures {
    filed completed approved rejected withdrawn open
    cycle { count meanSeconds medianSeconds p90Seconds }
    response { count meanSeconds medianSeconds p90Seconds }
    slaItems slaBreached slaBreachRate
    jobsSucceeded jobsFailed automationSuccessRate
    jobDuration { count meanSeconds medianSeconds p90Seconds }
    ratings ratingAverage ratingDistribution
    backlog { bucket count }
  }
`);

export const ReportQuery = graphql(`
  query Report($from: String, $to: String, $timeZone: String, $templateCode: String, $departmentId: ID, $groupBy: ReportGroupBy) {
    report(from: $from, to: $to, timeZone: $timeZone, templateCode: $templateCode, departmentId: $departmentId, groupBy: $groupBy) {
      from to timeZone groupBy
      totals { ...ReportFiguresFields }
      groups { key label figures { ...ReportFiguresFields } }
      steps { step wait { count meanSeconds medianSeconds p90Seconds } }
      approvers { userId name response { count meanSeconds medianSeconds p90Seconds } }
    }
  }
`);
