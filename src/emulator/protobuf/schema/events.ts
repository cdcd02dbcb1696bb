/**
 * Protobuf messages of k8s.io/api events/v1: Event (events.k8s.io).
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const events: MessageTable = {
  Event: 'metadata 1 meta.ObjectMeta; eventTime 2 microtime; series 3 EventSeries; reportingController 4 string; reportingInstance 5 string; action 6 string; reason 7 string; regarding 8 core.ObjectReference; related 9 core.ObjectReference; note 10 string; type 11 string; deprecatedSource 12 core.EventSource; deprecatedFirstTimestamp 13 time; deprecatedLastTimestamp 14 time; deprecatedCount 15 int32',
  EventList: 'metadata 1 meta.ListMeta; items 2 Event[]!',
  EventSeries: 'count 1 int32!; lastObservedTime 2 microtime',
};
