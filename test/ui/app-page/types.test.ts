/**
 * The app page's JSON types are written again for the browser build; these assignments fail to
 * compile when the server's answers stop fitting them.
 */
import assert from 'node:assert/strict';
import type { AppDiff as ServerDiff } from '../../../src/engine/diff-report.js';
import type { AppEnvStatus } from '../../../src/engine/status.js';
import type { ReleaseRecord } from '../../../src/history/release.js';
import type { BuildView } from '../../../src/build/view.js';
import type { PromotionResult } from '../../../src/promote/promoter.js';
import type { AppTree as ServerTree } from '../../../src/engine/tree.js';
import type { AppEventItem, PodItem } from '../../../src/engine/app-views.js';
import type { AppDiff, AppEnvSummary, AppEvent, AppTree, Build, PodSummary, PromotionAnswer, Release } from '../../../ui/src/app-page/types.js';

type Fits<Server, Ui> = Server extends Ui ? true : false;

describe('ui app-page types', () => {
  it("fit the server's answers", () => {
    const checks: [Fits<ServerDiff, AppDiff>, Fits<ReleaseRecord, Release>, Fits<BuildView, Build>, Fits<PromotionResult, PromotionAnswer>, Fits<AppEnvStatus, AppEnvSummary>, Fits<ServerTree, AppTree>, Fits<AppEventItem, AppEvent>, Fits<PodItem, PodSummary>] = [true, true, true, true, true, true, true, true];
    assert.equal(checks.length, 8);
  });
});
