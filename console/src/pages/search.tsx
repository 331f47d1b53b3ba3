/** Search across invoices, orders, customers and payments (the API's `GET /search`). */
import { Loading, useLoad } from '../load.tsx';

interface SearchHit {
  entity: string;
  id: string;
  label?: string;
  summary?: string;
}

export function SearchPage({ q }: { q: string }) {
  const results = useLoad<{ items: SearchHit[] }>(q ? `/search?q=${encodeURIComponent(q)}` : undefined);
  return (
    <>
      <h1>Search: {q}</h1>
      <Loading load={results}>
        {({ items }) =>
          items.length === 0 ? (
            <p>Nothing found.</p>
          ) : (
            <ul class="hits">
              {items.map((hit) => (
                <li key={`${hit.entity}:${hit.id}`}>
                  <strong>{hit.entity}</strong> {hit.label ?? hit.id} {hit.summary ? `— ${hit.summary}` : ''}
                </li>
              ))}
            </ul>
          )
        }
      </Loading>
    </>
  );
}
