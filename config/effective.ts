// The defaults that follow another key: a release named after its app gets a namespace, Service and
// routing objects of that name unless the stack says otherwise. Written once, here, for the rules
// (cross-field.ts) and for the release (normalise.ts).
import type { RawConfig } from "./schema.ts";

/** The Service as the release creates it. */
export interface EffectiveService {
    name: string;
    port: number;
    portName: string;
}

export function effectiveService(cfg: Pick<RawConfig, "app" | "service">): EffectiveService {
    const port = cfg.service.port ?? cfg.app.port;
    return { name: cfg.service.name ?? cfg.app.name, port, portName: cfg.service.portName ?? `http-${port}` };
}

export function effectiveNamespace(cfg: Pick<RawConfig, "app" | "namespace">): string {
    return cfg.namespace ?? cfg.app.name;
}

export function effectiveGatewayName(cfg: Pick<RawConfig, "app" | "gateway">): string {
    return cfg.gateway.name ?? `${cfg.app.name}-gateway`;
}

export function effectiveVirtualServiceName(cfg: Pick<RawConfig, "app" | "virtualService">): string {
    return cfg.virtualService.name ?? cfg.app.name;
}

/** The cookie that keeps a sticky user on a version: named after the app unless the stack names it. */
export function effectiveStickyCookie(cfg: Pick<RawConfig, "app" | "routing">): string | undefined {
    const sticky = cfg.routing.sticky;
    return sticky === undefined ? undefined : sticky.cookie ?? `${cfg.app.name}-version`;
}
