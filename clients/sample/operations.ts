// The operations of the sample, written with the `graphql()` function the client preset generates: each is a
// typed document whose result and variables follow from its text.
import { graphql } from './gql';

/** A page of calls with fields of three subgraphs: calls, identity (`assignedUser`) and leads (`lead`). */
export const RecentCalls = graphql(`
  query RecentCalls($first: Int, $status: CallStatus, $from: DateTimeISO) {
    calls(first: $first, status: $status, from: $from) {
      totalCount
      nodes {
        id
        status
        callerNumber
        startedAt
        endedAt
        duration
        assignedUser {
          id
          firstName
          lastName
        }
        lead {
          id
          name
          status
        }
      }
    }
  }
`);

export const UpdateCallNotes = graphql(`
  mutation UpdateCallNotes($id: ID!, $notes: String!) {
    updateCallNotes(id: $id, notes: $notes) {
      id
      notes
      updatedAt
    }
  }
`);

/** A CSV file of leads, sent as a multipart request. */
export const ImportLeads = graphql(`
  mutation ImportLeads($file: Upload!, $merge: Boolean) {
    importLeads(file: $file, merge: $merge) {
      id
      status
      total
      created
      skipped
    }
  }
`);

export const IncomingCall = graphql(`
  subscription IncomingCall {
    incomingCall {
      id
      occurredAt
      call {
        id
        callerNumber
        assignedUser {
          id
          firstName
        }
      }
    }
  }
`);

export const ChatCompletionStream = graphql(`
  subscription ChatCompletionStream($input: ChatCompletionInput!) {
    chatCompletionStream(input: $input)
  }
`);
