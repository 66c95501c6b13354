import { json, type HttpAnswer } from "../shared/http-io";

/**
 * `GET /crm/{version}/org` (Zoho's Organization API, scope `ZohoCRM.org.READ` or `.ALL`): the org the
 * access token acts in, as `{"org": [ {...} ]}` with one object. Shaped after Zoho's Organization API
 * pages (https://www.zoho.com/crm/developer/docs/api/v2.1/get-org-data.html, the v2 one alike) and the
 * sample answers in its Deluge `crm.getorg` help pages (`id`, `zgid`, `company_name`, `time_zone`,
 * `currency`, `license_details`, ...); the emulator fills what it knows and answers null where an org
 * would say something it has no use for.
 */

/** What the emulator knows of an org. */
export interface OrgFacts {
  readonly id: string;
  readonly zgid: string;
  readonly companyName: string;
  readonly timeZone: string;
}

export function orgAnswer(org: OrgFacts): HttpAnswer {
  return json(200, {
    org: [
      {
        country: null,
        photo_id: null,
        city: null,
        description: null,
        mc_status: false,
        gapps_enabled: false,
        domain_name: `org${org.zgid}`,
        translation_enabled: false,
        street: null,
        alias: null,
        currency: "US Dollar",
        id: org.id,
        state: null,
        fax: null,
        employee_count: null,
        zip: null,
        website: null,
        currency_symbol: "$",
        mobile: null,
        currency_locale: "en_US",
        primary_zuid: null,
        zia_portal_id: null,
        time_zone: org.timeZone,
        zgid: org.zgid,
        country_code: "US",
        license_details: {
          paid_expiry: null,
          users_license_purchased: 10,
          trial_type: null,
          trial_expiry: null,
          paid: true,
          paid_type: "enterprise",
        },
        phone: null,
        company_name: org.companyName,
        privacy_settings: false,
        primary_email: null,
        iso_code: "USD",
      },
    ],
  });
}
