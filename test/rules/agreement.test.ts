/**
 * The provider's rulebook (provider/zoho/rules.ts) and the emulator's tables read the same Zoho
 * docs independently; a fact changed on one side only would let the provider pass its tests
 * against an emulator that no longer behaves like the Zoho the provider expects. This suite
 * compares the facts, not the implementations: versions, per-version maxima and features, field
 * and batch limits, standard modules.
 */
import assert from "node:assert/strict";
import * as emulatorVersions from "../../emulator/shared/api-versions";
import { DEFAULT_CHANNEL_LIFETIME_MS } from "../../emulator/zoho/expiry";
import * as emulatorModules from "../../emulator/shared/modules";
import { MAX_FIELDS, MAX_TOP_LEVEL_GROUP_ITEMS } from "../../emulator/zoho/notification-condition";
import {
  MAX_CHANNEL_IDS_LENGTH,
  MAX_ITEMS_PER_REQUEST,
  MAX_PAGE,
  MAX_PER_PAGE,
} from "../../emulator/zoho/watch-api";
import { MAX_NOTIFY_URL_LENGTH, MAX_TOKEN_LENGTH } from "../../emulator/zoho/watch-items";
import * as rules from "../../provider/zoho/rules";

describe("rulebook: provider and emulator agree on Zoho's facts", () => {
  it("serve the same API versions, in the same order", () => {
    assert.deepEqual([...rules.API_VERSIONS], [...emulatorVersions.API_VERSIONS]);
  });

  for (const version of rules.API_VERSIONS) {
    it(`${version}: same maximum channel lifetime, features and notify_on_related_action default`, () => {
      assert.ok(emulatorVersions.isApiVersion(version), `the emulator does not serve ${version}`);
      const emulator = emulatorVersions.rulesFor(version);
      assert.equal(rules.maxExpiresIn(version).toMillis(), emulator.maxExpiryMs, "maximum channel lifetime");
      assert.equal(
        rules.supports(version, "returnAffectedFieldValues"),
        emulator.supportsAffectedFieldValues,
        "return_affected_field_values",
      );
      assert.equal(
        rules.supports(version, "notificationCondition"),
        emulator.supportsNotificationCondition,
        "notification_condition",
      );
      assert.equal(
        rules.defaultNotifyOnRelatedAction(version),
        emulator.notifyOnRelatedActionDefault,
        "notify_on_related_action default",
      );
    });
  }

  it("cut an expiry beyond the maximum to the same fallback lifetime", () => {
    assert.equal(rules.FALLBACK_CHANNEL_LIFETIME.toMillis(), DEFAULT_CHANNEL_LIFETIME_MS);
  });

  it("know the same standard modules and the same API name shape", () => {
    assert.deepEqual([...rules.STANDARD_MODULES], [...emulatorModules.STANDARD_MODULES]);
    for (const name of ["Leads", "Custom_Module__c", "a1", "1Leads", "Leads.create", "Le-ads", ""]) {
      assert.equal(
        rules.API_NAME_PATTERN.test(name),
        emulatorModules.API_NAME_PATTERN.test(name),
        `API name ${JSON.stringify(name)}`,
      );
    }
  });

  it("hold the same field limits", () => {
    assert.equal(rules.LIMITS.maxTokenLength, MAX_TOKEN_LENGTH, "token length");
    assert.equal(rules.LIMITS.maxNotifyUrlLength, MAX_NOTIFY_URL_LENGTH, "notify_url length");
    assert.equal(
      rules.LIMITS.maxConditionGroupSize,
      MAX_TOP_LEVEL_GROUP_ITEMS,
      "objects in a field_selection",
    );
    assert.equal(rules.LIMITS.maxConditionFields, MAX_FIELDS, "fields in a notification_condition");
  });

  it("hold the same batch limits", () => {
    assert.equal(rules.LIMITS.maxPerPage, MAX_PER_PAGE, "GET per_page");
    assert.equal(rules.LIMITS.maxPage, MAX_PAGE, "GET page");
    assert.equal(rules.LIMITS.maxItemsPerWrite, MAX_ITEMS_PER_REQUEST, "items per write");
    assert.equal(rules.LIMITS.maxChannelIdsParamLength, MAX_CHANNEL_IDS_LENGTH, "DELETE channel_ids length");
  });
});
