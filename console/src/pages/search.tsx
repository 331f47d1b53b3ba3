/** Search across invoices, orders, customers and payments (the API's `GET /search`); each hit links to its view. */
import { Link } from 'wouter-preact';
import type { search } from '#domain/use-cases/browse';
import { Loading, useLoad } from '../load.tsx';

type SearchHit = Awaited<ReturnType<typeof search>>['items'][number];

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
                <li key={`${hit.entity}:${hit.id}`} data-entity={hit.id}>
                  <strong>{hit.entity}</strong> <Link href={hit.path}>{hit.label || hit.id}</Link>
                </li>
              ))}
            </ul>
          )
        }
      </Loading>
    </>
  );
}
