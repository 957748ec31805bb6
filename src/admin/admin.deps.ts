// What every admin route file receives. Apart from admin.routes.ts, which registers those files,
// so that they need not import the file that imports them (no cycle, STYLE.md).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { SecretKeys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import type { Queue } from '../queue/index.ts';
import type { CredentialThrottle } from '../users/index.ts';
import type { SigningKeyRing } from '../signing-keys/index.ts';

export interface AdminDeps { config: Config; db: Db; keys: SecretKeys; provider: Provider; queue: Queue; throttle: CredentialThrottle; signingKeys: SigningKeyRing }

export type AdminApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
