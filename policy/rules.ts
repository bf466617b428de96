// Every policy of the pack, as pure rules: the pack (policies.ts) and `npm run analyze` both run this list.
import { istioConfigMustPassIstioValidation } from "./istio-config-must-pass-istio-validation.ts";
import { istioDestinationRuleRequiresIstioMutual } from "./istio-destinationrule-requires-istio-mutual.ts";
import { istioDestinationRuleSubsetsMustSelectPods } from "./istio-destinationrule-subsets-must-select-pods.ts";
import { istioDestinationRuleUnroutedSubsetsShouldSelectPods } from "./istio-destinationrule-unrouted-subsets-should-select-pods.ts";
import { istioNamespaceRequiresSidecarInjection } from "./istio-namespace-requires-sidecar-injection.ts";
import { istioPeerAuthenticationMustBeStrict } from "./istio-peerauthentication-must-be-strict.ts";
import { istioServicePortsMustDeclareProtocol } from "./istio-service-ports-must-declare-protocol.ts";
import { istioVirtualServiceReferencesMustResolve } from "./istio-virtualservice-references-must-resolve.ts";
import { istioVirtualServiceRoutesMustMatchAcrossClusters } from "./istio-virtualservice-routes-must-match-across-clusters.ts";
import { istioVirtualServiceWeightsMustSumTo100 } from "./istio-virtualservice-weights-must-sum-to-100.ts";
import { istioWorkloadRequiresAppAndVersionLabels } from "./istio-workload-requires-app-and-version-labels.ts";
import { kubernetesServiceMustMatchAcrossClusters } from "./kubernetes-service-must-match-across-clusters.ts";
import { kubernetesWorkloadMustRunAsNonRoot } from "./kubernetes-workload-must-run-as-non-root.ts";
import { kubernetesWorkloadRequiresPinnedImages } from "./kubernetes-workload-requires-pinned-images.ts";
import { kubernetesWorkloadRequiresResourceRequestsAndLimits } from "./kubernetes-workload-requires-resource-requests-and-limits.ts";
import type { Rule } from "./lib/rule.ts";

/** The pack's name, as PulumiPolicy.yaml's directory is known to `--policy-pack` and in its config file. */
export const PACK_NAME = "helloworld-grayscale";

export const rules: readonly Rule[] = [
    // Mandatory: these break the release or weaken its security.
    istioDestinationRuleRequiresIstioMutual,
    istioVirtualServiceWeightsMustSumTo100,
    istioVirtualServiceReferencesMustResolve,
    istioDestinationRuleSubsetsMustSelectPods,
    kubernetesServiceMustMatchAcrossClusters,
    istioVirtualServiceRoutesMustMatchAcrossClusters,
    istioNamespaceRequiresSidecarInjection,
    istioServicePortsMustDeclareProtocol,
    istioConfigMustPassIstioValidation,
    // Advisory: hardening a reviewer should see, which config can make mandatory.
    istioPeerAuthenticationMustBeStrict,
    istioDestinationRuleUnroutedSubsetsShouldSelectPods,
    istioWorkloadRequiresAppAndVersionLabels,
    kubernetesWorkloadRequiresPinnedImages,
    kubernetesWorkloadRequiresResourceRequestsAndLimits,
    kubernetesWorkloadMustRunAsNonRoot,
];
