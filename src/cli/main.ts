console.log('pairwise');
