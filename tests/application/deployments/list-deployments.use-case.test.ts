import { ListDeployments } from '../../../src/application/deployments/list-deployments.use-case.js';
import { InvalidArgument } from '../../../src/domain/domain-errors.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';

describe('ListDeployments', () => {
  let world: World;
  let listDeployments: ListDeployments;

  beforeEach(() => {
    world = createWorld();
    listDeployments = new ListDeployments(world.store, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  function seed() {
    const oldNode = DeploymentMother.succeeded({ app: 'node-js-app' });
    const python = DeploymentMother.failed({ app: 'python-app' });
    const newNode = DeploymentMother.running({ app: 'node-js-app' });
    for (const d of [oldNode, python, newNode]) world.store.add(d);
    return { oldNode, python, newNode };
  }

  test('lists every deployment, newest first', () => {
    const { oldNode, python, newNode } = seed();
    expect(listDeployments.execute(OPERATOR)).toEqual([newNode, python, oldNode]);
  });

  test('filters by app', () => {
    const { oldNode, newNode } = seed();
    expect(listDeployments.execute(OPERATOR, { appName: 'node-js-app' })).toEqual([newNode, oldNode]);
    expect(listDeployments.execute(OPERATOR, { appName: 'other-app' })).toEqual([]);
  });

  test('filters to those still running', () => {
    const { newNode } = seed();
    expect(listDeployments.execute(OPERATOR, { activeOnly: true })).toEqual([newNode]);
    expect(listDeployments.execute(OPERATOR, { appName: 'python-app', activeOnly: true })).toEqual([]);
  });

  test('refuses an invalid app name', () => {
    expect(() => listDeployments.execute(OPERATOR, { appName: 'Not An App' })).toThrow(InvalidArgument);
  });
});
