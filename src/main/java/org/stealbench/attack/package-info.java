/**
 * Model stealing: the stealing losses (MSE, InfoNCE, SoftNN, SupCon, Wasserstein, Barlow Twins in the reference and paired variants) and the trainer that queries the API and fits a stolen encoder.
 */
package org.stealbench.attack;
