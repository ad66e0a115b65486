/** POSTs one operation to `url`'s `/graphql` as a client would; its data, or an error saying what came back. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors)
    throw new Error(`${query.slice(0, 60)}… at ${url} answered HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body.data;
}
