import type { PlaygroundExample, Settings } from '@salesgraph/platform';

/**
 * Sign-in comes first: the playground keeps the access token of its answer. The first admin's credentials are
 * filled in only while they are the documented local defaults; any other password is never put in a page.
 */
export function playgroundExamples(settings: Settings): PlaygroundExample[] {
  const admin = settings.firstAdmin;
  const localDefaults = !settings.exposed && admin?.username === 'admin' && admin.password === 'admin';
  return [
    {
      query: `# Sign in. The playground keeps the access token of the answer and sends it as
# "Authorization: Bearer …" with every later operation (subscriptions too), unless
# you set an Authorization header of your own. Run this tab first, then the others.
mutation SignIn($login: String!, $password: String!) {
  login(input: { login: $login, password: $password }) {
    tokenType
    expiresIn
    accessToken
    user {
      id
      username
      role
      organization {
        name
      }
    }
  }
}
`,
      variables: { login: admin?.username ?? 'your e-mail or username', password: localDefaults ? 'admin' : 'your password' },
    },
  ];
}
