// Kubernetes resource quantities (apimachinery's resource.Quantity), as far as the release needs
// them: to compare a container's limit with its request before the API server does.

const SUFFIX_FACTORS: Readonly<Record<string, number>> = {
    "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The amount a quantity such as `100m`, `0.5` or `128Mi` stands for, or undefined if it is not one of those forms. */
export function quantityValue(quantity: string): number | undefined {
    const match = QUANTITY.exec(quantity);
    if (match === null) {
        return undefined;
    }
    return Number(match[1]) * (SUFFIX_FACTORS[match[2] ?? ""] ?? Number.NaN);
}
