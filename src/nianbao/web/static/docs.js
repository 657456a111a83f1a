// The OpenAPI docs, drawn by the vendored Swagger UI (no validator badge: it would call an outside host).
(function () {
  "use strict";
  SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: false });
})();
