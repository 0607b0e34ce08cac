/**
 * The API's paths and schemas, generated from GET /api/v1/openapi.json by openapi-typescript.
 * Do not edit: run `npm run api:types` after changing a route (a unit test fails until you do).
 */

export interface paths {
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The whole audit trail (administrators): ids, actions, actors and times. An investigation's events come without before/after snapshots (its content); members read those on the investigation's own trail. Also filterable by investigationId. */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password; sets the session cookie (`__Host-osint_session` in production, `osint_session` over http).
         * @description Failed attempts are throttled per account and per client IP (429 with Retry-After). Every failure answers the same 401 so responses do not reveal which accounts exist.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the current session and clear the cookie. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user. */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's personal API tokens (without secrets). */
        get: operations["listTokens"];
        put?: never;
        /**
         * Create a personal API token; the secret is shown only in this response.
         * @description Only an interactive session may mint tokens, so a leaked token cannot create more.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of your tokens; it stops working immediately. */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/diagnostics/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enqueue a diagnostic job (administrators). */
        post: operations["enqueueDiagnosticJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Browsable HTML rendering of the OpenAPI document (self-contained, no scripts). */
        get: operations["getApiDocsPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/exports/{jobId}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a finished export (members of its investigation); audited as `export.download`. */
        get: operations["downloadExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Investigations the caller is a member of, newest first. */
        get: operations["listInvestigations"];
        put?: never;
        /** Open an investigation; the caller becomes its owner. */
        post: operations["createInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One investigation (members only). */
        get: operations["getInvestigation"];
        put?: never;
        post?: never;
        /** Delete an investigation and everything in it (owners). The audit trail is kept. */
        delete: operations["deleteInvestigation"];
        options?: never;
        head?: never;
        /** Change title, description, status, TLP, default region or allow-list (editors). */
        patch: operations["updateInvestigation"];
        trace?: never;
    };
    "/api/v1/investigations/{id}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The investigation's audit trail, newest first; filter by action, objectType, objectId, actor. */
        get: operations["listInvestigationAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Documents in the investigation (metadata only), newest first. */
        get: operations["listDocuments"];
        put?: never;
        /**
         * Add a document from pasted text (JSON) or an upload (multipart: text, HTML, PDF).
         * @description Stores the bytes and their SHA-256, creates an `extract` job and answers 202 with the job URL (Location). The same bytes twice in one investigation answer 409 with `existingId`. The job is committed before it is queued: with the queue down or slow the answer is still 202, and the job runs once the queue answers again.
         */
        post: operations["createDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/documents/{documentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One document: metadata and extracted text. */
        get: operations["getDocument"];
        put?: never;
        post?: never;
        /** Delete a document and its mentions (editors). */
        delete: operations["deleteDocument"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/documents/{documentId}/mentions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The mentions inside one document, in text order, for highlighting.
         * @description Only selectors still in the investigation are listed. Pages go up to 1,000 mentions (no snippets: the reader has the text).
         */
        get: operations["listDocumentMentions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Entities in the investigation, newest first; filter by kind. */
        get: operations["listEntities"];
        put?: never;
        /** Create a person, organisation or other entity (editors). */
        post: operations["createEntity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/entities/{entityId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One entity. */
        get: operations["getEntity"];
        put?: never;
        post?: never;
        /** Delete an entity and the relationships that point at it (editors). */
        delete: operations["deleteEntity"];
        options?: never;
        head?: never;
        /** Change kind, label or properties (editors). */
        patch: operations["updateEntity"];
        trace?: never;
    };
    "/api/v1/investigations/{id}/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Export the investigation as JSON, CSV or a STIX 2.1 bundle (members): enqueues an `export` job. */
        post: operations["requestExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/graph": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Nodes (selectors, entities, documents) and edges (relationships), bounded by depth and node limit. */
        get: operations["getInvestigationGraph"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The investigation's jobs, newest first (members). */
        get: operations["listInvestigationJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/jobs/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events of every job of the investigation (members); open until the client leaves. */
        get: operations["streamInvestigationJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Members and their roles. */
        get: operations["listMembers"];
        put?: never;
        /** Invite a person (by email or user id) with a role (owners). The answer is the same whether or not the address has an account; an account, if any, joins at once (an existing member keeps their role). */
        post: operations["addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member (owners), or leave (any member). The last owner cannot be removed. */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /** Change a member's role (owners). The last owner cannot be demoted. */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/api/v1/investigations/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notes, newest first; filter by target (targetKind=investigation for notes on the investigation). */
        get: operations["listNotes"];
        put?: never;
        /** Write a Markdown note on the investigation or on an object in it (editors). */
        post: operations["createNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/notes/{noteId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One note. */
        get: operations["getNote"];
        put?: never;
        post?: never;
        /** Delete a note (editors). */
        delete: operations["deleteNote"];
        options?: never;
        head?: never;
        /** Replace the body of a note (editors). */
        patch: operations["updateNote"];
        trace?: never;
    };
    "/api/v1/investigations/{id}/relationships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Relationships in the investigation; filter by type or by an object they touch. */
        get: operations["listRelationships"];
        put?: never;
        /** Link two objects of the investigation with a typed edge (editors). */
        post: operations["createRelationship"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/relationships/{relationshipId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One relationship. */
        get: operations["getRelationship"];
        put?: never;
        post?: never;
        /** Delete a relationship (editors). */
        delete: operations["deleteRelationship"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search selectors (substring/prefix) and documents (full text, highlighted snippets) of one investigation. */
        get: operations["searchInvestigation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/search/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** "Paste a list": extract every selector from the text and say which are in the investigation. */
        post: operations["lookupPastedList"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/selectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Selectors in the investigation, newest first; filter by type, tag, source, falsePositive. */
        get: operations["listSelectors"];
        put?: never;
        /**
         * Add a selector by value (normalised and de-duplicated globally).
         * @description The type is detected when omitted. Phone numbers without +country use the investigation’s default region. Adding a value already in the investigation answers 200 with the existing entry (tags merged).
         */
        post: operations["addSelector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/selectors/{selectorId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One selector as it is in this investigation. */
        get: operations["getSelector"];
        put?: never;
        post?: never;
        /** Remove the selector from this investigation (the global selector stays). */
        delete: operations["removeSelector"];
        options?: never;
        head?: never;
        /** Change tags, note or the false-positive flag (editors). */
        patch: operations["updateSelector"];
        trace?: never;
    };
    "/api/v1/investigations/{id}/selectors/{selectorId}/correlations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Other investigations containing this selector — only those you are a member of. */
        get: operations["listCorrelations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/selectors/{selectorId}/enrich": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enrich one selector now (editors): enqueues an `enrich` job. */
        post: operations["enrichSelector"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/{id}/selectors/{selectorId}/mentions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every mention of a selector in this investigation's documents, with a context snippet.
         * @description Newest document first, then in text order. Offsets are UTF-16 code units into the document’s extracted text (as JavaScript slices strings); `snippet` carries its own offsets for the mention.
         */
        get: operations["listSelectorMentions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/investigations/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a JSON export as a new investigation owned by the caller.
         * @description The body is the file `GET /exports/{jobId}/download` returned for a `json` export, up to IMPORT_MAX_BYTES.
         */
        post: operations["importInvestigation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's status: administrators, or members of the job's investigation. */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued or running job (editors of its investigation).
         * @description Marks the job row cancelled (the worker skips it, or stops at its next checkpoint and rolls back), removes the queue entry if it is still waiting, and publishes the change to progress streams.
         */
        post: operations["cancelJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events of one job's progress; ends when the job finishes. */
        get: operations["streamJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document, generated from the request and response schemas. */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The same search across every investigation the caller is a member of. */
        get: operations["searchEverywhere"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable an account (administrators): ends its sessions, tokens and event streams at once.
         * @description Every later request with its sessions or tokens is refused, open event streams close, and sign-in answers the same 401 as a wrong password. Idempotent. Administrators cannot disable themselves (409).
         */
        post: operations["disableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-enable a disabled account (administrators); its ended sessions and tokens stay ended.
         * @description The user signs in again; tokens revoked by disabling stay revoked. Idempotent.
         */
        post: operations["enableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description An account as administrators manage it. */
        Account: {
            disabled: boolean;
            displayName: string;
            email: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "admin" | "member";
        };
        AddMemberRequest: {
            email?: string;
            /** @enum {string} */
            role: "owner" | "editor" | "viewer";
            /** Format: uuid */
            userId?: string;
        };
        AddSelectorRequest: {
            note?: string;
            /** @description For usernames written without platform: */
            platform?: string;
            tags?: string[];
            /**
             * @description Detected from the value when omitted.
             * @enum {string}
             */
            type?: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
            value: string;
        };
        ApiToken: {
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Null only for tokens created before every token expired; they expire 90 days after createdAt.
             */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** @description First characters of the token, to recognise it. */
            prefix: string;
            /** Format: date-time */
            revokedAt: string | null;
        };
        ApiTokenPage: {
            items: components["schemas"]["ApiToken"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        AuditEvent: {
            action: string;
            /** Format: uuid */
            actorId: string | null;
            /** @enum {string} */
            actorType: "user" | "job" | "system";
            after?: unknown;
            /** Format: date-time */
            at: string;
            before?: unknown;
            /** @description Monotonic event number (string: may exceed 2^53). */
            id: string;
            /** Format: uuid */
            investigationId: string | null;
            objectId: string | null;
            objectType: string;
            requestId: string | null;
        };
        AuditEventPage: {
            items: components["schemas"]["AuditEvent"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        Correlation: {
            /** Format: date-time */
            addedAt: string;
            falsePositive: boolean;
            /** Format: uuid */
            investigationId: string;
            /** @description Mentions in that investigation’s documents. */
            mentionCount: number;
            /** @enum {string} */
            role: "owner" | "editor" | "viewer";
            /** @enum {string} */
            source: "manual" | "extraction" | "enrichment" | "import";
            /** @enum {string} */
            status: "open" | "closed" | "archived";
            title: string;
            /** @enum {string} */
            tlp: "clear" | "green" | "amber" | "amber+strict" | "red";
        };
        CorrelationPage: {
            items: components["schemas"]["Correlation"][];
            nextCursor: string | null;
            /** @description Other investigations you are a member of that contain this selector. */
            total: number;
        };
        CreatedApiToken: {
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description Null only for tokens created before every token expired; they expire 90 days after createdAt.
             */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** @description First characters of the token, to recognise it. */
            prefix: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @description The secret; shown only in this response. */
            token: string;
        };
        CreatedDocument: {
            document: components["schemas"]["Document"];
            job: components["schemas"]["Job"];
        };
        CreateDocumentRequest: {
            /** Format: uri */
            sourceUrl?: string | null;
            text: string;
            title: string;
        };
        CreateEntityRequest: {
            /** @enum {string} */
            kind: "person" | "organisation" | "other";
            label: string;
            /**
             * @description Flat key → string/number/boolean/null map (at most 100 keys).
             * @default {}
             */
            properties?: {
                [key: string]: string | number | boolean | null;
            };
        };
        CreateInvestigationRequest: {
            /**
             * @description Values extraction must not turn into selectors.
             * @default []
             */
            allowList?: string[];
            /**
             * @description Region for phone numbers written without +country code.
             * @default null
             */
            defaultRegion?: string | null;
            /** @default  */
            description?: string;
            /**
             * @default open
             * @enum {string}
             */
            status?: "open" | "closed" | "archived";
            title: string;
            /**
             * @default amber
             * @enum {string}
             */
            tlp?: "clear" | "green" | "amber" | "amber+strict" | "red";
        };
        CreateNoteRequest: {
            body: string;
            target?: components["schemas"]["NoteTarget"];
        };
        CreateRelationshipRequest: {
            /** @default 50 */
            confidence?: number;
            /**
             * Format: uuid
             * @default null
             */
            evidenceDocumentId?: string | null;
            source: components["schemas"]["ObjectRef"];
            target: components["schemas"]["ObjectRef"];
            /** @enum {string} */
            type: "related-to" | "resolves-to" | "belongs-to" | "communicates-with" | "mentions" | "same-as" | "owns";
        };
        CreateTokenRequest: {
            /** @description Days until the token expires; at most and by default 90. */
            expiresInDays?: number;
            name: string;
        };
        Document: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string;
            error: string | null;
            /** @enum {string} */
            extractionStatus: "pending" | "running" | "succeeded" | "failed";
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            investigationId: string;
            mediaType: string;
            sha256: string;
            sizeBytes: number;
            sourceUrl: string | null;
            title: string;
            /** Format: date-time */
            updatedAt: string;
        };
        DocumentMention: {
            /** Format: uuid */
            documentId: string;
            /** @description End (UTF-16 code units, exclusive). */
            end: number;
            /** @description Marked false positive in this investigation. */
            falsePositive: boolean;
            /** Format: uuid */
            id: string;
            /** @description The text as written in the document (defanged, odd case…). */
            raw: string;
            /** Format: uuid */
            selectorId: string;
            /** @enum {string} */
            selectorType: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
            /** @description The selector's normalised value. */
            selectorValue: string;
            /** @description Start in the document's extracted text (UTF-16 code units, inclusive). */
            start: number;
        };
        DocumentMentionPage: {
            items: components["schemas"]["DocumentMention"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        DocumentPage: {
            items: components["schemas"]["Document"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        DocumentWithText: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string;
            error: string | null;
            /** @description Null until extraction succeeds. */
            extractedText: string | null;
            /** @enum {string} */
            extractionStatus: "pending" | "running" | "succeeded" | "failed";
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            investigationId: string;
            mediaType: string;
            sha256: string;
            sizeBytes: number;
            sourceUrl: string | null;
            title: string;
            /** Format: date-time */
            updatedAt: string;
        };
        EnrichRequest: {
            providers?: string[];
            /**
             * @description Ignore cached provider answers.
             * @default false
             */
            refresh?: boolean;
            /**
             * @description `all` adds network providers (DNS) when the worker allows them.
             * @default offline
             * @enum {string}
             */
            scope?: "offline" | "all";
        };
        Entity: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            investigationId: string;
            /** @enum {string} */
            kind: "person" | "organisation" | "other";
            label: string;
            properties: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            updatedAt: string;
        };
        EntityPage: {
            items: components["schemas"]["Entity"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        ExportRequest: {
            /**
             * @description `json` (full fidelity, re-importable), `csv` (selectors with tags and sources), `stix` (STIX 2.1 bundle).
             * @enum {string}
             */
            format: "json" | "csv" | "stix";
        };
        Graph: {
            depth: number;
            edges: {
                confidence: number;
                /** Format: uuid */
                id: string;
                source: {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    kind: "selector" | "entity" | "document";
                };
                target: {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    kind: "selector" | "entity" | "document";
                };
                /** @enum {string} */
                type: "related-to" | "resolves-to" | "belongs-to" | "communicates-with" | "mentions" | "same-as" | "owns";
            }[];
            limit: number;
            nodes: {
                /** @description Hops from `start` (null without a start). */
                depth: number | null;
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "selector" | "entity" | "document";
                label: string;
                /** @description Selector type, entity kind, or document media type. */
                type: string;
            }[];
            start: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "selector" | "entity" | "document";
            } | null;
            /** @description True when the node limit or the edge bound cut the graph. */
            truncated: boolean;
        };
        ImportResult: {
            counts: {
                documents: number;
                entities: number;
                mentions: number;
                notes: number;
                relationships: number;
                selectors: number;
            };
            /** Format: uuid */
            investigationId: string;
            url: string;
        };
        Investigation: {
            allowList: string[];
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string;
            defaultRegion: string | null;
            description: string;
            /** Format: uuid */
            id: string;
            /**
             * @description The caller's role in this investigation.
             * @enum {string}
             */
            role: "owner" | "editor" | "viewer";
            /** @enum {string} */
            status: "open" | "closed" | "archived";
            title: string;
            /** @enum {string} */
            tlp: "clear" | "green" | "amber" | "amber+strict" | "red";
            /** Format: date-time */
            updatedAt: string;
        };
        InvestigationListItem: {
            allowList: string[];
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string;
            defaultRegion: string | null;
            description: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description The latest of: the newest audit event, the newest document, the newest selector link, and the last change to the investigation itself.
             */
            lastActivityAt: string;
            /** @description How many people are members (every role). */
            memberCount: number;
            /**
             * @description The caller's role in this investigation.
             * @enum {string}
             */
            role: "owner" | "editor" | "viewer";
            /** @enum {string} */
            status: "open" | "closed" | "archived";
            title: string;
            /** @enum {string} */
            tlp: "clear" | "green" | "amber" | "amber+strict" | "red";
            /** Format: date-time */
            updatedAt: string;
        };
        InvestigationPage: {
            items: components["schemas"]["InvestigationListItem"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        InvestigationSelector: {
            /** Format: date-time */
            addedAt: string;
            /** Format: uuid */
            addedBy: string | null;
            /** @description Normalisation facts and this investigation's own enrichment results. */
            attributes: {
                [key: string]: unknown;
            };
            /** @description The first spelling this investigation saw. */
            displayValue: string;
            falsePositive: boolean;
            /**
             * Format: date-time
             * @description When this investigation first saw the value.
             */
            firstSeenAt: string;
            /**
             * Format: uuid
             * @description The global selector id (shared by every investigation).
             */
            id: string;
            /**
             * Format: date-time
             * @description When this investigation last saw it (to the minute).
             */
            lastSeenAt: string;
            note: string | null;
            /** @enum {string} */
            source: "manual" | "extraction" | "enrichment" | "import";
            tags: string[];
            /** @enum {string} */
            type: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
            /** Format: date-time */
            updatedAt: string;
            /** @description Normalised match key. */
            value: string;
        };
        InvestigationSelectorPage: {
            items: components["schemas"]["InvestigationSelector"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        Job: {
            attempts: number;
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            investigationId: string | null;
            kind: string;
            progress: number;
            result?: unknown;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            /** @description Where to poll for the outcome. */
            url: string;
        };
        /** @description The `data` of each `event: progress` frame of a text/event-stream. The stream opens with `retry: 5000`, then the current state, then live events; `: heartbeat` comments every 15 s. */
        JobEvent: {
            /** Format: date-time */
            at: string;
            attempts: number;
            error: string | null;
            /** Format: uuid */
            investigationId: string | null;
            /** Format: uuid */
            jobId: string;
            kind: string;
            phase: string | null;
            progress: number;
            result?: unknown;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            /** @enum {number} */
            v: 1;
        };
        JobPage: {
            items: components["schemas"]["Job"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        LoginRequest: {
            email: string;
            password: string;
        };
        LoginResponse: {
            user: components["schemas"]["User"];
        };
        LookupResult: {
            found: number;
            items: {
                found: boolean;
                occurrences: number;
                /** @description The first spelling found in the text. */
                raw: string;
                selector: {
                    displayValue: string;
                    falsePositive: boolean;
                    /** Format: uuid */
                    id: string;
                    /** Format: uuid */
                    investigationId: string;
                    investigationTitle: string;
                    source: string;
                    tags: string[];
                    /** @enum {string} */
                    type: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
                    value: string;
                } | null;
                /** @enum {string} */
                type: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
                value: string;
            }[];
            notFound: number;
            /** @description More than 5000 distinct selectors: the rest were not looked up. */
            truncated: boolean;
            /** @description Non-empty lines where nothing was recognised (at most 100, each cut at 200 characters). */
            unrecognisedLines: string[];
        };
        Me: {
            /** @enum {string} */
            authenticatedBy: "session" | "token";
            user: components["schemas"]["User"];
        };
        Member: {
            /** Format: date-time */
            createdAt: string;
            displayName: string;
            email: string;
            /** @enum {string} */
            role: "owner" | "editor" | "viewer";
            /** Format: uuid */
            userId: string;
        };
        MemberInvitation: {
            /** @enum {string} */
            role: "owner" | "editor" | "viewer";
            /** @enum {string} */
            status: "recorded";
        };
        MemberPage: {
            items: components["schemas"]["Member"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        MentionSnippet: {
            /** @description Where it ends in `text` (UTF-16, exclusive). */
            end: number;
            /** @description Where the mention starts in `text` (UTF-16). */
            start: number;
            /** @description Plain text around the mention (no markup). */
            text: string;
            /** @description The document goes on after `text`. */
            truncatedAfter: boolean;
            /** @description The document goes on before `text`. */
            truncatedBefore: boolean;
        };
        Note: {
            /** Format: uuid */
            authorId: string;
            /** @description Markdown source; clients render and sanitise it. */
            body: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            investigationId: string;
            target: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "selector" | "entity" | "document" | "relationship";
            } | null;
            /** Format: date-time */
            updatedAt: string;
        };
        NotePage: {
            items: components["schemas"]["Note"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        /**
         * @description The object the note is about; omit for the investigation itself.
         * @default null
         */
        NoteTarget: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "selector" | "entity" | "document" | "relationship";
        } | null;
        /** @description A selector (global selector id), entity or document in the investigation. */
        ObjectRef: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "selector" | "entity" | "document";
        };
        Problem: {
            /** @description Stable machine-readable error code. */
            code: string;
            detail: string;
            /** @description Every invalid field (validation_failed only). */
            errors?: {
                field: string;
                message: string;
            }[];
            instance: string;
            requestId: string;
            status: number;
            title: string;
            type: string;
        };
        Relationship: {
            confidence: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
            /** Format: uuid */
            evidenceDocumentId: string | null;
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            investigationId: string;
            source: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "selector" | "entity" | "document";
            };
            target: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                kind: "selector" | "entity" | "document";
            };
            /** @enum {string} */
            type: "related-to" | "resolves-to" | "belongs-to" | "communicates-with" | "mentions" | "same-as" | "owns";
        };
        RelationshipPage: {
            items: components["schemas"]["Relationship"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
        };
        SearchResult: {
            documents: {
                items: {
                    /** @description Matched ranges in `snippet` (UTF-16 offsets, end exclusive). */
                    highlights: {
                        end: number;
                        start: number;
                    }[];
                    /** Format: uuid */
                    id: string;
                    /** Format: uuid */
                    investigationId: string;
                    investigationTitle: string;
                    mediaType: string;
                    rank: number;
                    /** @description Plain text around the matches (no markup). */
                    snippet: string;
                    /** @description `snippet` HTML-escaped, with matches in `<mark>`. */
                    snippetHtml: string;
                    title: string;
                }[];
                nextCursor: string | null;
            } | null;
            /** @enum {string} */
            kind: "selectors" | "documents" | "all";
            query: string;
            selectors: {
                items: {
                    displayValue: string;
                    falsePositive: boolean;
                    /** Format: uuid */
                    id: string;
                    /** Format: uuid */
                    investigationId: string;
                    investigationTitle: string;
                    /** @enum {string} */
                    match: "exact" | "prefix" | "substring";
                    source: string;
                    tags: string[];
                    /** @enum {string} */
                    type: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
                    value: string;
                }[];
                nextCursor: string | null;
            } | null;
        };
        SelectorMention: {
            /** Format: uuid */
            documentId: string;
            documentTitle: string;
            /** @description End (UTF-16 code units, exclusive). */
            end: number;
            extractorVersion: string;
            /** Format: uuid */
            id: string;
            /** @description The text as written in the document (defanged, odd case…). */
            raw: string;
            /** Format: uuid */
            selectorId: string;
            snippet: components["schemas"]["MentionSnippet"];
            /** @description Start in the document's extracted text (UTF-16 code units, inclusive). */
            start: number;
        };
        SelectorMentionPage: {
            /** @description How many documents those mentions are in. */
            documents: number;
            items: components["schemas"]["SelectorMention"][];
            /** @description Pass as `cursor` for the next page. */
            nextCursor: string | null;
            /** @description Mentions of this selector in this investigation's documents. */
            total: number;
        };
        UpdateEntityRequest: {
            /** @enum {string} */
            kind?: "person" | "organisation" | "other";
            label?: string;
            /** @description Flat key → string/number/boolean/null map (at most 100 keys). */
            properties?: {
                [key: string]: string | number | boolean | null;
            };
        };
        UpdateInvestigationRequest: {
            /** @description Values extraction must not turn into selectors. */
            allowList?: string[];
            /** @description Region for phone numbers written without +country code. */
            defaultRegion?: string | null;
            description?: string;
            /** @enum {string} */
            status?: "open" | "closed" | "archived";
            title?: string;
            /** @enum {string} */
            tlp?: "clear" | "green" | "amber" | "amber+strict" | "red";
        };
        UpdateMemberRequest: {
            /** @enum {string} */
            role: "owner" | "editor" | "viewer";
        };
        UpdateNoteRequest: {
            body: string;
        };
        UpdateSelectorRequest: {
            falsePositive?: boolean;
            note?: string | null;
            tags?: string[];
        };
        User: {
            displayName: string;
            email: string;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            role: "admin" | "member";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAudit: {
        parameters: {
            query?: {
                action?: string;
                /** @description Actor (user or job) id. */
                actor?: string;
                cursor?: string;
                investigationId?: string;
                limit?: number;
                objectId?: string;
                objectType?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Wrong email or password, or the account is disabled. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many failed attempts; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTokenRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiToken"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (or already revoked). */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    enqueueDiagnosticJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued; poll the job URL. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PostgreSQL is unavailable (`database_unavailable`); nothing was stored. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getApiDocsPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file (JSON, CSV or STIX bundle), streamed as an attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The export job has not succeeded (`export_not_ready`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The file is gone (`export_gone`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInvestigations: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "open" | "closed" | "archived";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of investigations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvestigationPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateInvestigationRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Investigation"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The investigation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Investigation"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateInvestigationRequest"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Investigation"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInvestigationAudit: {
        parameters: {
            query?: {
                action?: string;
                /** @description Actor (user or job) id. */
                actor?: string;
                cursor?: string;
                limit?: number;
                objectId?: string;
                objectType?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDocuments: {
        parameters: {
            query?: {
                cursor?: string;
                extractionStatus?: "pending" | "running" | "succeeded" | "failed";
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of documents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDocumentRequest"];
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description text/plain, text/html, application/pdf
                     */
                    file: string;
                    /** Format: uri */
                    sourceUrl?: string;
                    /** @description Defaults to the file name. */
                    title?: string;
                };
            };
        };
        responses: {
            /** @description Stored; extraction queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedDocument"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Duplicate of an existing document (`existingId`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Larger than DOCUMENT_MAX_BYTES. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not text, HTML or PDF. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description RATE_LIMIT_UPLOADS or UPLOAD_QUOTA_BYTES_PER_DAY used up; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PostgreSQL is unavailable (`database_unavailable`); nothing stored. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentWithText"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDocumentMentions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                documentId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of mentions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentMentionPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEntities: {
        parameters: {
            query?: {
                cursor?: string;
                kind?: "person" | "organisation" | "other";
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entities. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createEntity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEntityRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entity"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEntity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entityId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entity"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteEntity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entityId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateEntity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                entityId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateEntityRequest"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entity"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    requestExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportRequest"];
            };
        };
        responses: {
            /** @description Queued; when the job succeeds, its result names the download URL. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description EXPORT_MAX_FILES_PER_INVESTIGATION export files exist (`too_many_exports`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description RATE_LIMIT_EXPORTS used up; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PostgreSQL is unavailable (`database_unavailable`); nothing was stored. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getInvestigationGraph: {
        parameters: {
            query?: {
                depth?: number;
                limit?: number;
                /** @description Starting node `kind:id`; without it, the whole investigation up to `limit`. */
                start?: string;
                /** @description Only follow and return relationships of these types (comma-separated). */
                types?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The (possibly truncated) graph. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Graph"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listInvestigationJobs: {
        parameters: {
            query?: {
                cursor?: string;
                kind?: string;
                limit?: number;
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamInvestigationJobEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream of `progress` events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["JobEvent"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddMemberRequest"];
            };
        };
        responses: {
            /** @description Invitation recorded. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberInvitation"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Would leave the investigation without an owner. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMemberRequest"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Would leave the investigation without an owner. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listNotes: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                targetId?: string;
                targetKind?: "selector" | "entity" | "document" | "relationship" | "investigation";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotePage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateNoteRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                noteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The note. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                noteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                noteId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateNoteRequest"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRelationships: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description With objectKind: edges touching that object. */
                objectId?: string;
                objectKind?: "selector" | "entity" | "document";
                type?: "related-to" | "resolves-to" | "belongs-to" | "communicates-with" | "mentions" | "same-as" | "owns";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of relationships. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelationshipPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createRelationship: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRelationshipRequest"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The same edge (source, target, type) already exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRelationship: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                relationshipId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The relationship. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteRelationship: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                relationshipId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    searchInvestigation: {
        parameters: {
            query: {
                cursor?: string;
                kind?: "selectors" | "documents" | "all";
                limit?: number;
                /** @description Selector values: substring (trigram index) from 3 characters, prefix below that. Documents: web-search syntax (`"exact phrase"`, `or`, `-not`). */
                q: string;
                /** @description Only selectors of this type. */
                type?: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Matches; `X-Search-Cache` says hit or miss. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResult"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    lookupPastedList: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Pasted text: a list, a report, anything. At most LOOKUP_MAX_CHARS characters (default 1,000,000); longer texts answer 413. */
                    text: string;
                };
                "text/plain": string;
            };
        };
        responses: {
            /** @description Found / not found per distinct selector. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LookupResult"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Longer than LOOKUP_MAX_CHARS (`maxChars`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Neither text/plain nor JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description `extraction_budget_exceeded`: extraction hit a limit (`limit`: time, heap, text_chars; `setting` names it). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description RATE_LIMIT_LOOKUPS used up; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSelectors: {
        parameters: {
            query?: {
                cursor?: string;
                falsePositive?: "true" | "false";
                limit?: number;
                source?: "manual" | "extraction" | "enrichment" | "import";
                tag?: string;
                type?: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of selectors. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvestigationSelectorPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addSelector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddSelectorRequest"];
            };
        };
        responses: {
            /** @description Already in the investigation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvestigationSelector"];
                };
            };
            /** @description Added. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvestigationSelector"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSelector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                selectorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The selector. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvestigationSelector"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeSelector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                selectorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateSelector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                selectorId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSelectorRequest"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvestigationSelector"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCorrelations: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
                selectorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of correlations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CorrelationPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    enrichSelector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                selectorId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnrichRequest"];
            };
        };
        responses: {
            /** @description Queued; follow the job URL or its event stream. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description RATE_LIMIT_ENRICHMENTS used up; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PostgreSQL is unavailable (`database_unavailable`); nothing was stored. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSelectorMentions: {
        parameters: {
            query?: {
                /** @description Characters of context on each side of the mention in `snippet`. */
                context?: number | null;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
                selectorId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of mentions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SelectorMentionPage"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    importInvestigation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The new investigation and what was imported. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportResult"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Larger than IMPORT_MAX_BYTES. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description RATE_LIMIT_IMPORTS used up; see Retry-After. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The job already finished (`job_finished`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamJobEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream of `progress` events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["JobEvent"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Does not exist, or you are not a member of the investigation it belongs to. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    searchEverywhere: {
        parameters: {
            query: {
                cursor?: string;
                kind?: "selectors" | "documents" | "all";
                limit?: number;
                /** @description Selector values: substring (trigram index) from 3 characters, prefix below that. Documents: web-search syntax (`"exact phrase"`, `or`, `-not`). */
                q: string;
                /** @description Only selectors of this type. */
                type?: "domain" | "ipv4" | "ipv6" | "url" | "email" | "phone" | "md5" | "sha1" | "sha256" | "sha512" | "btc" | "eth" | "cve" | "username";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Matches, each naming its investigation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResult"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disableUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account as it now is. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An administrator cannot disable themselves. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    enableUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account as it now is. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Invalid input; `errors` names every bad field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not signed in (no or invalid session cookie or bearer token). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in but the role does not allow this, or the CSRF check failed. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
