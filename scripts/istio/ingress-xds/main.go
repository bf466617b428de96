// Command ingress-xds asks istiod, over xDS (ADS, state of the world) on its plaintext port, for
// what an ingress gateway would get, and prints it as JSON: the route of one gateway port, the
// transport socket of every cluster that route sends traffic to, and those clusters' endpoints.
//
// It connects as a router proxy whose node metadata carries the gateway's labels, namespace and
// cluster id, which is how istiod decides which Gateways (by selector) and which endpoints apply.
// With -watch it stays connected and prints one line per route version it receives, so that the
// time from a config change to the route a proxy gets can be measured.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	clusterv3 "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpointv3 "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	routev3 "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	discoveryv3 "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	clusterType  = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
	routeType    = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
	endpointType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
)

// Output is what one route version looks like to the gateway.
type Output struct {
	Route    RouteOut              `json:"route"`
	Clusters map[string]ClusterOut `json:"clusters"`
	// With -watch: when this version was complete here (Unix milliseconds), for timing pushes.
	ReceivedAtMs int64 `json:"receivedAtMs,omitempty"`
}

type RouteOut struct {
	Name         string           `json:"name"`
	Version      string           `json:"version"`
	VirtualHosts []VirtualHostOut `json:"virtualHosts"`
}

type VirtualHostOut struct {
	Name    string     `json:"name"`
	Domains []string   `json:"domains"`
	Routes  []RouteRow `json:"routes"`
}

type RouteRow struct {
	Name    string      `json:"name"`
	Cluster string      `json:"cluster,omitempty"`
	Weights []WeightRow `json:"weightedClusters,omitempty"`
}

type WeightRow struct {
	Cluster string `json:"cluster"`
	Weight  uint32 `json:"weight"`
}

type ClusterOut struct {
	TransportSocket *TLSOut       `json:"transportSocket"`
	Endpoints       []EndpointOut `json:"endpoints"`
}

// TLSOut is the part of an upstream TLS context that says whose certificates are used.
type TLSOut struct {
	Name              string   `json:"name"`
	SNI               string   `json:"sni"`
	ALPN              []string `json:"alpn"`
	CertificateSDS    []string `json:"certificateSds"`
	ValidationSDS     string   `json:"validationSds"`
	SubjectAltNames   []string `json:"subjectAltNames"`
	UnparsedTLSConfig bool     `json:"unparsed,omitempty"`
}

type EndpointOut struct {
	Address string `json:"address"`
	Port    uint32 `json:"port"`
	Health  string `json:"health"`
	// From the "istio" filter metadata istiod attaches: "<workload>;<namespace>;<app>;<version>;<cluster id>".
	Workload string `json:"workload,omitempty"`
}

func main() {
	addr := flag.String("xds", "127.0.0.1:15010", "istiod's plaintext xDS address")
	namespace := flag.String("namespace", "istio-system", "the gateway's namespace")
	clusterID := flag.String("cluster-id", "Kubernetes", "the cluster the gateway runs in")
	labels := flag.String("labels", "istio=ingressgateway", "the gateway pod's labels, k=v,k=v")
	port := flag.Int("port", 80, "the Gateway server port whose route (http.<port>) to print")
	watch := flag.Bool("watch", false, "stay connected and print one line per route version")
	timeout := flag.Duration("timeout", 30*time.Second, "give up when nothing complete arrived by then (without -watch)")
	flag.Parse()

	ctx, cancel := context.WithCancel(context.Background())
	if !*watch {
		ctx, cancel = context.WithTimeout(ctx, *timeout)
	}
	defer cancel()
	if err := run(ctx, *addr, node(*namespace, *clusterID, parseLabels(*labels)), fmt.Sprintf("http.%d", *port), *watch); err != nil {
		fmt.Fprintf(os.Stderr, "ingress-xds: %v\n", err)
		os.Exit(1)
	}
}

func parseLabels(text string) map[string]any {
	labels := map[string]any{}
	for _, pair := range strings.Split(text, ",") {
		if k, v, ok := strings.Cut(pair, "="); ok {
			labels[k] = v
		}
	}
	return labels
}

// node identifies the client the way a gateway's istio-agent does: istiod reads the proxy type from
// the id, and labels, namespace and cluster from the metadata.
func node(namespace, clusterID string, labels map[string]any) *corev3.Node {
	name := "ingress-xds"
	metadata, err := structpb.NewStruct(map[string]any{
		"NAMESPACE":     namespace,
		"CLUSTER_ID":    clusterID,
		"LABELS":        labels,
		"NAME":          name,
		"ISTIO_VERSION": "1.31.0",
		"INSTANCE_IPS":  "127.0.0.1",
	})
	if err != nil {
		panic(err)
	}
	return &corev3.Node{
		Id:       fmt.Sprintf("router~127.0.0.1~%s.%s~%s.svc.cluster.local", name, namespace, namespace),
		Cluster:  name + "." + namespace,
		Metadata: metadata,
	}
}

// stream is one ADS stream that ACKs what it receives and remembers the latest resources by type.
type stream struct {
	ads       discoveryv3.AggregatedDiscoveryService_StreamAggregatedResourcesClient
	node      *corev3.Node
	names     map[string][]string
	clusters  map[string]*clusterv3.Cluster
	endpoints map[string]*endpointv3.ClusterLoadAssignment
	route     *routev3.RouteConfiguration
	routeVer  string
}

func (s *stream) request(typeURL, version, nonce string) error {
	return s.ads.Send(&discoveryv3.DiscoveryRequest{
		Node: s.node, TypeUrl: typeURL, ResourceNames: s.names[typeURL], VersionInfo: version, ResponseNonce: nonce,
	})
}

func run(ctx context.Context, addr string, n *corev3.Node, routeName string, watch bool) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	ads, err := discoveryv3.NewAggregatedDiscoveryServiceClient(conn).StreamAggregatedResources(ctx)
	if err != nil {
		return fmt.Errorf("opening the ADS stream to %s: %w", addr, err)
	}
	s := &stream{ads: ads, node: n, names: map[string][]string{routeType: {routeName}},
		clusters: map[string]*clusterv3.Cluster{}, endpoints: map[string]*endpointv3.ClusterLoadAssignment{}}
	for _, t := range []string{clusterType, routeType} {
		if err := s.request(t, "", ""); err != nil {
			return err
		}
	}
	printed := ""
	for {
		res, err := ads.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("no complete route %s within the timeout (got route: %t)", routeName, s.route != nil)
			}
			return fmt.Errorf("receiving from %s: %w", addr, err)
		}
		if err := s.take(res); err != nil {
			return err
		}
		if err := s.request(res.TypeUrl, res.VersionInfo, res.Nonce); err != nil {
			return err
		}
		if res.TypeUrl == routeType {
			// Ask for the endpoints of exactly the clusters the route uses.
			if want := routeClusters(s.route); !equal(want, s.names[endpointType]) {
				s.names[endpointType] = want
				if err := s.request(endpointType, "", ""); err != nil {
					return err
				}
			}
		}
		out, complete := s.output()
		if !complete {
			continue
		}
		text, err := json.Marshal(out)
		if err != nil {
			return err
		}
		if !watch {
			fmt.Println(string(text))
			return nil
		}
		if string(text) != printed {
			printed = string(text)
			out.ReceivedAtMs = time.Now().UnixMilli()
			stamped, err := json.Marshal(out)
			if err != nil {
				return err
			}
			fmt.Printf("%s\n", stamped)
		}
	}
}

func (s *stream) take(res *discoveryv3.DiscoveryResponse) error {
	for _, any := range res.Resources {
		switch res.TypeUrl {
		case clusterType:
			c := &clusterv3.Cluster{}
			if err := any.UnmarshalTo(c); err != nil {
				return err
			}
			s.clusters[c.Name] = c
		case routeType:
			r := &routev3.RouteConfiguration{}
			if err := any.UnmarshalTo(r); err != nil {
				return err
			}
			s.route, s.routeVer = r, res.VersionInfo
		case endpointType:
			e := &endpointv3.ClusterLoadAssignment{}
			if err := any.UnmarshalTo(e); err != nil {
				return err
			}
			s.endpoints[e.ClusterName] = e
		}
	}
	return nil
}

func routeClusters(r *routev3.RouteConfiguration) []string {
	set := map[string]bool{}
	if r != nil {
		for _, vh := range r.VirtualHosts {
			for _, rt := range vh.Routes {
				action := rt.GetRoute()
				if action.GetCluster() != "" {
					set[action.GetCluster()] = true
				}
				for _, wc := range action.GetWeightedClusters().GetClusters() {
					set[wc.Name] = true
				}
			}
		}
	}
	names := make([]string, 0, len(set))
	for name := range set {
		if strings.HasPrefix(name, "outbound|") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func equal(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}

// output is complete once the route, and every cluster and endpoint set it names, have arrived.
func (s *stream) output() (Output, bool) {
	out := Output{Clusters: map[string]ClusterOut{}}
	if s.route == nil {
		return out, false
	}
	out.Route = RouteOut{Name: s.route.Name, Version: s.routeVer}
	for _, vh := range s.route.VirtualHosts {
		v := VirtualHostOut{Name: vh.Name, Domains: vh.Domains, Routes: []RouteRow{}}
		for _, rt := range vh.Routes {
			row := RouteRow{Name: rt.Name, Cluster: rt.GetRoute().GetCluster()}
			for _, wc := range rt.GetRoute().GetWeightedClusters().GetClusters() {
				row.Weights = append(row.Weights, WeightRow{Cluster: wc.Name, Weight: wc.GetWeight().GetValue()})
			}
			v.Routes = append(v.Routes, row)
		}
		out.Route.VirtualHosts = append(out.Route.VirtualHosts, v)
	}
	for _, name := range routeClusters(s.route) {
		c, haveCluster := s.clusters[name]
		e, haveEndpoints := s.endpoints[name]
		if !haveCluster || !haveEndpoints {
			return out, false
		}
		out.Clusters[name] = ClusterOut{TransportSocket: transportSocket(c), Endpoints: endpoints(e)}
	}
	return out, true
}

func transportSocket(c *clusterv3.Cluster) *TLSOut {
	ts := c.GetTransportSocket()
	if ts == nil {
		return nil
	}
	out := &TLSOut{Name: ts.Name}
	tls := &tlsv3.UpstreamTlsContext{}
	if ts.GetTypedConfig() == nil || ts.GetTypedConfig().UnmarshalTo(tls) != nil {
		out.UnparsedTLSConfig = true
		return out
	}
	common := tls.GetCommonTlsContext()
	out.SNI, out.ALPN = tls.Sni, common.GetAlpnProtocols()
	for _, sds := range common.GetTlsCertificateSdsSecretConfigs() {
		out.CertificateSDS = append(out.CertificateSDS, sds.Name)
	}
	combined := common.GetCombinedValidationContext()
	out.ValidationSDS = combined.GetValidationContextSdsSecretConfig().GetName()
	for _, san := range combined.GetDefaultValidationContext().GetMatchTypedSubjectAltNames() {
		// Istio matches the peer's SPIFFE id exactly, or by prefix for a whole trust domain.
		matcher := san.GetMatcher()
		out.SubjectAltNames = append(out.SubjectAltNames, matcher.GetExact()+matcher.GetPrefix())
	}
	return out
}

func endpoints(e *endpointv3.ClusterLoadAssignment) []EndpointOut {
	out := []EndpointOut{}
	for _, locality := range e.Endpoints {
		for _, lb := range locality.LbEndpoints {
			socket := lb.GetEndpoint().GetAddress().GetSocketAddress()
			row := EndpointOut{Address: socket.GetAddress(), Port: socket.GetPortValue(), Health: lb.HealthStatus.String()}
			if istio, ok := lb.GetMetadata().GetFilterMetadata()["istio"]; ok {
				row.Workload = istio.GetFields()["workload"].GetStringValue()
			}
			out = append(out, row)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}
