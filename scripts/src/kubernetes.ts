import { stringify } from 'yaml';
import { ENVIRONMENT } from '@salesgraph/platform';
import { GATEWAY_PORT, subgraphs, type RegisteredSubgraph } from '@salesgraph/registry';

/**
 * The Kubernetes manifests (a kustomize base in deploy/kubernetes), generated from the registry like
 * docker-compose.yml: a Deployment, Service and PodDisruptionBudget for the gateway and for every subgraph,
 * the migration Job, and the kustomization that turns `secrets.env` and `config.env` into the Secret and
 * ConfigMap every pod reads. Nothing secret is written.
 */

export const KUBERNETES_DIR = 'deploy/kubernetes';

const APP = 'salesgraph';
const IMAGE = 'salesgraph';
/** Required of every deployment; they go in the Secret (`secrets.env`). */
export const SECRET_VARIABLES = ['DATABASE_URL', 'JWT_SECRET', 'GATEWAY_SECRET', 'SECRETS_KEY'] as const;
/** The first admin, created on an empty database: also secret, and optional once it exists. */
const ADMIN_VARIABLES = ['ADMIN_EMAIL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'];
/** Set per container by the manifests themselves. */
const SET_HERE = new Set(['NODE_ENV', 'HOST', 'PORT', 'DATA_DIR', 'SUBGRAPH_<NAME>_URL', ...SECRET_VARIABLES, ...ADMIN_VARIABLES]);

const labelsOf = (component: string) => ({ 'app.kubernetes.io/name': APP, 'app.kubernetes.io/component': component });
const serviceUrl = (s: RegisteredSubgraph) => `http://${APP}-${s.name}:${s.port}/graphql`;

interface Workload {
  component: string;
  port: number;
  command: string[];
  env: Record<string, string>;
  replicas: number;
  resources: { cpu: string; memory: string; memoryLimit: string };
}

/**
 * One process of the product. Probes: `/livez` (the process answers) restarts it; `/readyz` (migrations
 * applied, database and peers reachable, not draining) takes it in and out of its Service. The grace period
 * is above the process's own drain bound, and `preStop` waits for the endpoints to drop it before SIGTERM.
 */
function workload({ component, port, command, env, replicas, resources }: Workload): object[] {
  const name = `${APP}-${component}`;
  const labels = labelsOf(component);
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 45,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: component,
                image: IMAGE,
                imagePullPolicy: 'IfNotPresent',
                command,
                ports: [{ name: 'http', containerPort: port }],
                env: [
                  { name: 'NODE_ENV', value: 'production' },
                  { name: 'HOST', value: '0.0.0.0' },
                  { name: 'PORT', value: String(port) },
                  ...Object.entries(env).map(([key, value]) => ({ name: key, value })),
                ],
                envFrom: [{ secretRef: { name: `${APP}-secrets` } }, { configMapRef: { name: `${APP}-config` } }],
                startupProbe: probe('/livez', 2, 30),
                livenessProbe: probe('/livez', 10, 3),
                readinessProbe: probe('/readyz', 5, 2),
                lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
                resources: { requests: { cpu: resources.cpu, memory: resources.memory }, limits: { memory: resources.memoryLimit } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                // The root filesystem is read-only: the embedded-database folder and temporary files get scratch space.
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'data', mountPath: '/app/.data' },
                ],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'data', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels },
      spec: { selector: labels, ports: [{ name: 'http', port, targetPort: 'http' }] },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, labels },
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
  ];
}

const byName = new Map(subgraphs.map((s) => [s.name, s]));

function subgraphWorkload(subgraph: RegisteredSubgraph): object[] {
  return workload({
    component: subgraph.name,
    port: subgraph.port,
    command: ['node', 'packages/registry/dist/serve.js', subgraph.name],
    env: Object.fromEntries(subgraph.peers.map((peer) => [byName.get(peer)!.urlVariable, serviceUrl(byName.get(peer)!)])),
    replicas: 2,
    resources: { cpu: '100m', memory: '256Mi', memoryLimit: '768Mi' },
  });
}

const gatewayWorkload = () =>
  workload({
    component: 'gateway',
    port: GATEWAY_PORT,
    command: ['node', 'gateway/dist/main.js'],
    env: Object.fromEntries(subgraphs.map((s) => [s.urlVariable, serviceUrl(s)])),
    replicas: 2,
    resources: { cpu: '200m', memory: '256Mi', memoryLimit: '1Gi' },
  });

/** Applies every subgraph's migrations once per rollout (replicas starting meanwhile wait on the same lock). */
const migrationJob = () => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: `${APP}-migrate`, labels: labelsOf('migrate') },
  spec: {
    backoffLimit: 3,
    ttlSecondsAfterFinished: 3600,
    template: {
      metadata: { labels: labelsOf('migrate') },
      spec: {
        restartPolicy: 'Never',
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'migrate',
            image: IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['node', 'packages/registry/dist/migrate.js'],
            env: [{ name: 'NODE_ENV', value: 'production' }],
            envFrom: [{ secretRef: { name: `${APP}-secrets` } }, { configMapRef: { name: `${APP}-config` } }],
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      },
    },
  },
});

const HEADER = `# Generated from the subgraph registry (packages/registry) by \`npm run deployment\`; edit scripts/src/kubernetes.ts, not this file.\n`;
const yamlOf = (documents: object[]) =>
  HEADER + documents.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');

/** Every optional setting, commented out (the defaults apply): secret ones in secrets.env, the others in config.env. */
const optional = ENVIRONMENT.filter((v) => !SET_HERE.has(v.name) && !('secret' in v && v.secret));
const optionalSecrets = ENVIRONMENT.filter((v) => !SET_HERE.has(v.name) && 'secret' in v && v.secret);

/** The files of deploy/kubernetes, by name. */
export function kubernetesFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('gateway.yaml', yamlOf(gatewayWorkload()));
  for (const subgraph of subgraphs) files.set(`${subgraph.name}.yaml`, yamlOf(subgraphWorkload(subgraph)));
  files.set('migrate-job.yaml', yamlOf([migrationJob()]));
  files.set(
    'kustomization.yaml',
    HEADER +
      stringify(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          labels: [{ pairs: { 'app.kubernetes.io/part-of': APP }, includeSelectors: false }],
          resources: ['migrate-job.yaml', ...subgraphs.map((s) => `${s.name}.yaml`), 'gateway.yaml'],
          images: [{ name: IMAGE, newName: IMAGE, newTag: 'latest' }],
          secretGenerator: [{ name: `${APP}-secrets`, envs: ['secrets.env'] }],
          configMapGenerator: [{ name: `${APP}-config`, envs: ['config.env'] }],
        },
        { lineWidth: 0, aliasDuplicateObjects: false },
      ),
  );
  files.set(
    'secrets.env.example',
    `# Copy to secrets.env (git-ignored) and fill in; kustomize makes it the ${APP}-secrets Secret.
DATABASE_URL=postgres://salesgraph:CHANGE-ME@postgres.example.internal:5432/salesgraph
# >= 32 characters each, all different, e.g. \`openssl rand -base64 48\`
JWT_SECRET=
GATEWAY_SECRET=
SECRETS_KEY=
# The first admin, created on an empty database (password >= 12 characters); remove once created.
ADMIN_EMAIL=
ADMIN_USERNAME=
ADMIN_PASSWORD=
# Optional secrets: uncomment to set (README's configuration table says what each means).
${optionalSecrets.map((v) => `# ${v.name}=`).join('\n')}
`,
  );
  files.set(
    'config.env',
    `# Settings every pod reads (the ${APP}-config ConfigMap); uncomment to change a default. README's
# configuration table says what each means; a bad value stops the pod at start, naming the variable.
# Behind an ingress or load balancer, set TRUST_PROXY so per-address limits see the client.
${optional.map((v) => `# ${v.name}=`).join('\n')}
`,
  );
  return files;
}
