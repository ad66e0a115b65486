import type { PlaygroundExample } from '@salesgraph/platform';

export function playgroundExamples(): PlaygroundExample[] {
  return [
    {
      query: `# Calls you may see, newest first. assignedUser and answeredBy come from the identity
# subgraph and lead from the leads subgraph: the gateway joins them (federation).
query MyCalls {
  calls(first: 10) {
    totalCount
    nodes {
      id
      callerNumber
      status
      startedAt
      assignedUser {
        username
        firstName
        lastName
      }
      answeredBy {
        username
      }
      lead {
        name
      }
    }
  }
}
`,
    },
    {
      query: `# Calls ringing for you, live over graphql-ws on the same /graphql URL. Run it, then run
# RingACall in the next tab (or post the telephony webhook): the event appears here.
subscription IncomingCalls {
  incomingCall {
    type
    occurredAt
    call {
      id
      callerNumber
      customerName
      assignedUser {
        username
      }
    }
  }
}
`,
    },
    {
      query: `# Registers an incoming call, as the telephony webhook does; subscribers of
# incomingCall (the IncomingCalls tab) hear of it.
mutation RingACall($callerNumber: String!) {
  createCall(input: { callerNumber: $callerNumber }) {
    id
    status
    startedAt
  }
}
`,
      variables: { callerNumber: '+74951234567' },
    },
  ];
}
