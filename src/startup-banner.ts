// The line an operator reads when the server is up: where it really listens (the address and
// port bound, not the configured public URL), where its data lives, and, while no administrator
// exists, how to make the first one.
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { listUsers } from './users/index.ts';

export interface BoundAddress { address: string; port: number; family?: string | number }

function describeAddress(bound: BoundAddress | string): string {
  if (typeof bound === 'string') return bound; // a socket path
  const { address, port } = bound;
  if (address === '0.0.0.0' || address === '::') return `every interface (${address}) port ${port}`;
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}

export async function startupBanner(config: Config, database: Database, bound: Array<BoundAddress | string>): Promise<string> {
  const where = [...new Set(bound.map(describeAddress))].join(', ');
  const { total: superusers } = await listUsers({ db: database.db }, { page: 1, pageSize: 1 }, { isSuperuser: true });
  const firstAdmin = superusers ? '' : ` Create the first admin with: npx djam createsuperuser${database.kind === 'pglite' ? ' (stop the server first: the embedded database belongs to one process)' : ''}`;
  return `DJAM listens on ${where}, public URL ${config.SITEURL} (storage: ${database.location}).${firstAdmin}`;
}
