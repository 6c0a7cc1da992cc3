import { ListDeployments } from '../../../src/application/deployments/list-deployments.use-case.js';
import { InvalidArgument } from '../../../src/domain/domain-errors.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, type World } from '../../support/sandbox-world.js';

describe('ListDeployments', () => {
  let world: World;
  let listDeployments: ListDeployments;

  beforeEach(() => {
    world = createWorld();
    listDeployments = new ListDeployments(world.store);
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
    expect(listDeployments.execute()).toEqual([newNode, python, oldNode]);
  });

  test('filters by app', () => {
    const { oldNode, newNode } = seed();
    expect(listDeployments.execute({ appName: 'node-js-app' })).toEqual([newNode, oldNode]);
    expect(listDeployments.execute({ appName: 'other-app' })).toEqual([]);
  });

  test('filters to those still running', () => {
    const { newNode } = seed();
    expect(listDeployments.execute({ activeOnly: true })).toEqual([newNode]);
    expect(listDeployments.execute({ appName: 'python-app', activeOnly: true })).toEqual([]);
  });

  test('refuses an invalid app name', () => {
    expect(() => listDeployments.execute({ appName: 'Not An App' })).toThrow(InvalidArgument);
  });
});
