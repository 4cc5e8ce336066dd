import Foundation

/// The OpenAPI document exactly as committed in `openapi/openapi.yaml`.
public enum OpenAPISpec {
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }()
}
