// #20 The deployment files people copy: the Kubernetes manifests (deploy/kubernetes/) and the
// scaled compose profile, parsed and checked for what a cluster or compose would only reveal when
// it fails: probes on the right paths, secrets from Secrets, one image, the migration job, and no
// DJAM_* variable the server does not know (a misspelt setting is silently ignored otherwise).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { settings } from '../../src/config.ts';

const root = new URL('../..', import.meta.url).pathname;
const k8sDir = join(root, 'deploy/kubernetes');

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, checked field by field

function readYaml(path: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  for (const d of docs) assert.deepEqual(d.errors, [], `${path} parses`);
  return docs.map((d) => d.toJS() as Obj).filter(Boolean);
}

const manifests = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').flatMap((f) => readYaml(join(k8sDir, f)));
const byKind = (kind: string): Obj[] => manifests.filter((m) => m.kind === kind);
const one = (kind: string): Obj => { const found = byKind(kind); assert.equal(found.length, 1, `one ${kind}`); return found[0]; };

function assertKnownSettings(names: Iterable<string>, where: string): void {
  const unknown = [...names].filter((n) => n.startsWith('DJAM_') && !(n in settings));
  assert.deepEqual(unknown, [], `${where} names only settings of src/config.ts`);
}

function envNames(container: Obj): string[] {
  return (container.env as Obj[] | undefined ?? []).map((e) => String(e.name));
}

function secretRef(container: Obj, name: string): Obj | undefined {
  return (container.env as Obj[]).find((e) => e.name === name)?.valueFrom?.secretKeyRef;
}

describe('#20 Kubernetes manifests', () => {
  const deployment = one('Deployment');
  const job = one('Job');
  const server = deployment.spec.template.spec.containers[0];
  const migrate = job.spec.template.spec.containers[0];
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;

  it('kustomization lists every manifest, and kubectl renders it where kubectl is installed', (t) => {
    const kustomization = readYaml(join(k8sDir, 'kustomization.yaml'))[0];
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    assert.deepEqual([...kustomization.resources].sort(), files);
    let kubectl = false;
    try { execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' }); kubectl = true; } catch { t.diagnostic('kubectl not installed: rendering not checked'); }
    if (kubectl) {
      const rendered = parseAllDocuments(execFileSync('kubectl', ['kustomize', k8sDir], { encoding: 'utf8' })).map((d) => d.toJS() as Obj);
      assert.deepEqual(rendered.map((m) => m.kind).sort(), manifests.map((m) => m.kind).sort());
    }
  });

  it('the server probes readiness on /readyz and liveness on /healthz, on the port it listens on', () => {
    assert.equal(server.readinessProbe.httpGet.path, '/readyz');
    assert.equal(server.livenessProbe.httpGet.path, '/healthz');
    const port = (server.ports as Obj[]).find((p) => p.name === server.readinessProbe.httpGet.port);
    assert.equal(port?.containerPort, 8000, 'the probes name the container port 8000 (DJAM_PORT default)');
    assert.equal(server.livenessProbe.httpGet.port, server.readinessProbe.httpGet.port);
  });

  it('DJAM_SECRET_KEY and the database password come from a Secret, the same one in the job and the pods', () => {
    for (const container of [server, migrate]) {
      for (const name of ['DJAM_SECRET_KEY', 'DJAM_DB_PASSWORD']) {
        const ref = secretRef(container, name);
        assert.ok(ref?.name && ref.key, `${container.name}: ${name} from a secretKeyRef`);
        assert.notEqual(ref.optional, true, `${name} is required`);
      }
      assert.deepEqual(secretRef(container, 'DJAM_SECRET_KEY'), secretRef(server, 'DJAM_SECRET_KEY'));
    }
    const configMap = one('ConfigMap');
    for (const secret of Object.entries(settings).filter(([, s]) => 'secret' in s && s.secret).map(([n]) => n)) {
      assert.ok(!(secret in configMap.data), `${secret} is not in the ConfigMap`);
    }
    assert.equal(byKind('Secret').length, 0, 'no Secret with values is shipped');
  });

  it('one image; a migration Job runs `djam migrate` with the pods\' settings', () => {
    assert.match(server.image, /^[\w.\-/:]+:[\w.-]+$/, 'a tagged image');
    assert.equal(migrate.image, server.image);
    assert.match([...(migrate.command ?? []), ...(migrate.args ?? [])].join(' '), /bin\/djam\.js migrate\b/);
    assert.ok(['OnFailure', 'Never'].includes(job.spec.template.spec.restartPolicy));
    assert.deepEqual(migrate.envFrom, server.envFrom);
  });

  it('Service, HorizontalPodAutoscaler and PodDisruptionBudget point at the server pods', () => {
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    assert.ok(matches(one('Service').spec.selector), 'the Service selects the pods');
    assert.ok(matches(one('PodDisruptionBudget').spec.selector.matchLabels));
    assert.ok(matches(deployment.spec.selector.matchLabels));
    const hpa = one('HorizontalPodAutoscaler');
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', deployment.metadata.name]);
    assert.ok(hpa.spec.minReplicas >= 2, 'at least two pods: one may restart while the other serves');
  });

  it('every DJAM_* variable named exists in src/config.ts', () => {
    assertKnownSettings(Object.keys(one('ConfigMap').data), 'the ConfigMap');
    for (const container of [server, migrate]) assertKnownSettings(envNames(container), container.name);
  });
});

describe('#20 compose.yaml, scaled profile', () => {
  const compose = parse(readFileSync(join(root, 'compose.yaml'), 'utf8')) as Obj;
  const services = compose.services as Record<string, Obj>;
  const scaled = Object.entries(services).filter(([, s]) => (s.profiles as string[] | undefined)?.includes('scaled')).map(([n]) => n);

  it('adds a second DJAM node and a TLS-terminating balancer over both, which checks /readyz', () => {
    assert.deepEqual(scaled.sort(), ['caddy', 'djam-b']);
    for (const node of ['djam', 'djam-b']) {
      assert.match(JSON.stringify(services[node].healthcheck.test), /\/readyz/, `${node} is healthy when ready`);
      assert.deepEqual(services[node].environment, services.djam.environment, `${node} has the same settings (one DJAM_SECRET_KEY)`);
    }
    const caddy = services.caddy;
    assert.ok((caddy.ports as string[]).includes('443:443'));
    const mount = (caddy.volumes as string[]).find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'));
    assert.ok(mount, 'the Caddyfile is mounted');
    const caddyfile = readFileSync(join(root, mount.split(':')[0]), 'utf8');
    assert.match(caddyfile, /reverse_proxy djam:8000 djam-b:8000/);
    assert.match(caddyfile, /health_uri \/readyz/);
    assert.doesNotMatch(caddyfile, /^\s*tls\s+off/m);
    for (const node of ['djam', 'djam-b']) assert.equal(caddy.depends_on[node].condition, 'service_healthy');
  });

  it('the second node starts after the first has migrated and made the signing key', () => {
    assert.equal(services['djam-b'].depends_on.djam.condition, 'service_healthy');
  });

  it('every DJAM_* variable named exists in src/config.ts', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.environment) assertKnownSettings(Object.keys(service.environment as Obj), `compose service ${name}`);
    }
  });

  it('the deployment guide describes the scaled profile and the manifests', () => {
    const guide = readFileSync(join(root, 'docs/deployment.md'), 'utf8');
    assert.match(guide, /--profile scaled/);
    assert.match(guide, /deploy\/kubernetes/);
    assert.ok(existsSync(join(k8sDir, 'kustomization.yaml')));
  });
});
