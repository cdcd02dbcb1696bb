/**
 * Protobuf messages of k8s.io/api admissionregistration/v1: Validating and mutating webhook configurations.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const admissionregistration: MessageTable = {
  MatchCondition: 'name 1 string!; expression 2 string!',
  MutatingWebhook: 'name 1 string!; clientConfig 2 WebhookClientConfig; rules 3 RuleWithOperations[]; failurePolicy 4 string!; matchPolicy 9 string!; namespaceSelector 5 meta.LabelSelector; objectSelector 11 meta.LabelSelector; sideEffects 6 string!; timeoutSeconds 7 int32!; admissionReviewVersions 8 string[]!; reinvocationPolicy 10 string!; matchConditions 12 MatchCondition[]',
  MutatingWebhookConfiguration: 'metadata 1 meta.ObjectMeta; webhooks 2 MutatingWebhook[]',
  MutatingWebhookConfigurationList: 'metadata 1 meta.ListMeta; items 2 MutatingWebhookConfiguration[]!',
  Rule: 'apiGroups 1 string[]; apiVersions 2 string[]; resources 3 string[]; scope 4 string!',
  RuleWithOperations: 'operations 1 string[]; rule 2 Rule^',
  ServiceReference: 'namespace 1 string!; name 2 string!; path 3 string!; port 4 int32!',
  ValidatingWebhook: 'name 1 string!; clientConfig 2 WebhookClientConfig; rules 3 RuleWithOperations[]; failurePolicy 4 string!; matchPolicy 9 string!; namespaceSelector 5 meta.LabelSelector; objectSelector 10 meta.LabelSelector; sideEffects 6 string!; timeoutSeconds 7 int32!; admissionReviewVersions 8 string[]!; matchConditions 11 MatchCondition[]',
  ValidatingWebhookConfiguration: 'metadata 1 meta.ObjectMeta; webhooks 2 ValidatingWebhook[]',
  ValidatingWebhookConfigurationList: 'metadata 1 meta.ListMeta; items 2 ValidatingWebhookConfiguration[]!',
  WebhookClientConfig: 'url 3 string!; service 1 ServiceReference; caBundle 2 bytes',
};
